import { expect, type Page } from '@playwright/test';

export type UnitSystem = 'imperial' | 'metric' | 'uk';

/** `/settings`. */
export class SettingsPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto('/settings');
    await expect(this.page.getByTestId('settings-form')).toBeVisible();
  }

  async chooseUnits(units: UnitSystem) {
    await this.page.getByTestId(`units-${units}`).check();
    await this.page.getByTestId('settings-save').click();
    await expect(this.page.getByTestId('notice')).toHaveText('Settings saved.');
  }
}
