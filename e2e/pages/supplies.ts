import { expect, type Locator, type Page } from '@playwright/test';

import type { RecordFields } from './records';

/** The Supplies tab of `/vehicles/:id/supplies`: the vehicle's supplies, then the shop's. */
export class SuppliesTab {
  constructor(private readonly page: Page) {}

  async open(vehicleId: number) {
    await this.page.goto(`/vehicles/${vehicleId}/supplies`);
    await this.expectShown();
  }

  async switchTo() {
    await this.page.getByTestId('tab-supplies').click();
    await this.expectShown();
  }

  async expectShown() {
    await expect(this.page.getByTestId('tab-supplies')).toHaveAttribute('aria-current', 'page');
    await expect(this.section.getByTestId('supply-table').or(this.section.getByTestId('supplies-empty'))).toBeVisible();
  }

  /** The vehicle's supplies. */
  get section() {
    return this.page.getByTestId('vehicle-supplies');
  }

  get shopSection() {
    return this.page.getByTestId('shop-supplies');
  }

  get rows() {
    return this.section.getByTestId('supply-row');
  }

  rowDescribed(description: string) {
    return this.rows.filter({ has: this.page.getByTestId('supply-description').filter({ hasText: description }) });
  }

  get dialog() {
    return this.page.getByTestId('record-dialog');
  }

  get notice() {
    return this.section.getByTestId('notice');
  }

  fieldError(field: string) {
    return this.dialog.getByTestId(`error-${field}`);
  }

  async openAdd() {
    await this.section.getByTestId('add-supply').click();
    await expect(this.dialog).toBeVisible();
  }

  async fill(fields: RecordFields) {
    for (const [field, value] of Object.entries(fields)) {
      await this.dialog.getByTestId(`${field}-input`).fill(String(value));
    }
  }

  async save() {
    await this.dialog.getByTestId('record-save').click();
  }

  async add(fields: RecordFields) {
    const before = await this.rows.count();
    await this.openAdd();
    await this.fill(fields);
    await this.save();
    await expect(this.dialog).toBeHidden();
    await expect(this.notice).toHaveText('Supply added.');
    await expect(this.rows).toHaveCount(before + 1);
  }

  async edit(row: Locator, fields: RecordFields) {
    await row.getByTestId('supply-edit').click();
    await expect(this.dialog).toBeVisible();
    await this.fill(fields);
    await this.save();
    await expect(this.dialog).toBeHidden();
    await expect(this.notice).toHaveText('Supply updated.');
  }

  async remove(row: Locator) {
    await row.getByTestId('supply-delete').click();
    const confirm = this.page.getByTestId('confirm-dialog');
    await confirm.getByTestId('confirm-delete').click();
    await expect(confirm).toBeHidden();
    await expect(this.notice).toHaveText('Supply deleted.');
  }
}
