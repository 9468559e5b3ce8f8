import { expect, type Page } from '@playwright/test';

/** The top bar shown on every page. */
export class AppHeader {
  constructor(private readonly page: Page) {}

  get brand() {
    return this.page.getByTestId('brand');
  }

  get currentUser() {
    return this.page.getByTestId('current-user');
  }

  get logoutButton() {
    return this.page.getByTestId('logout');
  }

  async expectSignedInAs(username: string) {
    await expect(this.logoutButton).toBeVisible();
    await expect(this.currentUser).toHaveText(username);
  }

  async logout() {
    await this.logoutButton.click();
    await expect(this.page).toHaveURL(/\/login$/);
  }

  async openSettings() {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await expect(this.page).toHaveURL(/\/settings$/);
  }

  async openGarage() {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Garage' }).click();
    await expect(this.page).toHaveURL(/\/$/);
  }
}
