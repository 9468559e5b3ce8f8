import { expect, type Page } from '@playwright/test';

/** `/setup`: the first-run page. */
export class SetupPage {
  constructor(private readonly page: Page) {}

  get form() {
    return this.page.getByTestId('setup-form');
  }

  async expectShown() {
    await expect(this.page).toHaveURL(/\/setup$/);
    await expect(this.form).toBeVisible();
  }

  async createAccount(username: string, password: string, email?: string) {
    await this.page.getByTestId('setup-username').fill(username);
    await this.page.getByTestId('setup-password').fill(password);
    if (email) {
      await this.page.getByTestId('setup-email').fill(email);
    }
    await this.page.getByTestId('setup-submit').click();
  }
}
