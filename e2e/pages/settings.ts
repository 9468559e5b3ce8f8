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

  /** Shows or hides a vehicle tab, then saves. */
  async setTabShown(slug: string, shown: boolean) {
    await this.page.getByTestId(`tab-show-${slug}`).setChecked(shown);
  }

  async moveTabUp(slug: string) {
    await this.page.getByTestId(`tab-up-${slug}`).click();
  }

  async save() {
    await this.page.getByTestId('settings-save').click();
    await expect(this.page.getByTestId('notice')).toHaveText('Settings saved.');
  }
}
