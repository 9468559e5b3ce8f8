import { expect, type Page } from '@playwright/test';

/** `/login`. */
export class LoginPage {
  constructor(private readonly page: Page) {}

  get form() {
    return this.page.getByTestId('login-form');
  }

  get alert() {
    return this.form.getByTestId('alert');
  }

  async expectShown() {
    await expect(this.page).toHaveURL(/\/login$/);
    await expect(this.form).toBeVisible();
  }

  async signIn(username: string, password: string) {
    await this.page.getByTestId('login-username').fill(username);
    await this.page.getByTestId('login-password').fill(password);
    await this.page.getByTestId('login-submit').click();
  }
}
