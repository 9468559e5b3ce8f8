import { expect, type Page } from '@playwright/test';

export interface VehicleFields {
  year?: string;
  make?: string;
  model?: string;
  plate?: string;
  fuelType?: 'gasoline' | 'diesel' | 'electric';
  purchaseDate?: string;
  purchasePrice?: string;
  soldDate?: string;
  soldPrice?: string;
  tags?: string;
}

/** `/vehicles/new` and `/vehicles/:id/edit`. */
export class VehicleFormPage {
  constructor(private readonly page: Page) {}

  get form() {
    return this.page.getByTestId('vehicle-form');
  }

  fieldError(field: string) {
    return this.form.getByTestId(`error-${field}`);
  }

  async fill(fields: VehicleFields) {
    const text: [keyof VehicleFields, string][] = [
      ['year', 'vehicle-year'],
      ['make', 'vehicle-make'],
      ['model', 'vehicle-model'],
      ['plate', 'vehicle-plate'],
      ['purchaseDate', 'vehicle-purchase-date'],
      ['purchasePrice', 'vehicle-purchase-price'],
      ['soldDate', 'vehicle-sold-date'],
      ['soldPrice', 'vehicle-sold-price'],
      ['tags', 'vehicle-tags'],
    ];
    await expect(this.form).toBeVisible();
    for (const [key, testId] of text) {
      const value = fields[key];
      if (value !== undefined) {
        await this.page.getByTestId(testId).fill(value);
      }
    }
    if (fields.fuelType) {
      await this.page.getByTestId('vehicle-fuel-type').selectOption(fields.fuelType);
    }
  }

  async submit() {
    await this.page.getByTestId('vehicle-save').click();
  }

  /** Fills, saves and returns the new vehicle's id (from the page it lands on). */
  async save(fields: VehicleFields): Promise<number> {
    await this.fill(fields);
    await this.submit();
    await expect(this.page).toHaveURL(/\/vehicles\/\d+$/);
    const match = /\/vehicles\/(\d+)$/.exec(this.page.url());
    return Number(match?.[1]);
  }

  async deleteVehicle() {
    await this.page.getByTestId('vehicle-delete').click();
    await this.page.getByTestId('confirm-dialog').getByTestId('confirm-delete').click();
    await expect(this.page).toHaveURL(/\/$/);
  }
}
