import { expect, type Page } from '@playwright/test';

/** `/`: the garage. */
export class GaragePage {
  constructor(private readonly page: Page) {}

  get heading() {
    return this.page.getByRole('heading', { level: 1, name: 'Garage' });
  }

  get cards() {
    return this.page.getByTestId('vehicle-card');
  }

  get emptyState() {
    return this.page.getByTestId('garage-empty');
  }

  async goto() {
    await this.page.goto('/');
    await this.expectShown();
  }

  async expectShown() {
    await expect(this.page).toHaveURL(/\/$/);
    await expect(this.heading).toBeVisible();
    // Loaded: either cards or the empty state.
    await expect(this.cards.first().or(this.emptyState)).toBeVisible();
  }

  card(title: string) {
    return this.cards.filter({ has: this.page.getByTestId('vehicle-title').filter({ hasText: title }) });
  }

  async startAddingVehicle() {
    await this.page.getByTestId('add-vehicle').click();
    await expect(this.page).toHaveURL(/\/vehicles\/new$/);
  }
}
