import { expect, type Locator, type Page } from '@playwright/test';

/** `/vehicles/:id/equipment`: the equipment list, its dialog and the files of an item. */
export class EquipmentTab {
  constructor(private readonly page: Page) {}

  async open(vehicleId: number) {
    await this.page.goto(`/vehicles/${vehicleId}/equipment`);
    await expect(this.table.or(this.empty)).toBeVisible();
  }

  get table() {
    return this.page.getByTestId('record-table');
  }

  get empty() {
    return this.page.getByTestId('records-empty');
  }

  get rows() {
    return this.page.getByTestId('record-row');
  }

  get dialog() {
    return this.page.getByTestId('record-dialog');
  }

  row(description: string) {
    return this.rows.filter({ has: this.page.getByTestId('record-title').filter({ hasText: description }) });
  }

  async add(fields: { description: string; equipped?: boolean; notes?: string; tags?: string }) {
    await this.page.getByTestId('add-record').click();
    await expect(this.dialog).toBeVisible();
    await this.dialog.getByTestId('description-input').fill(fields.description);
    if (fields.equipped !== undefined) await this.dialog.getByTestId('isEquipped-input').setChecked(fields.equipped);
    if (fields.notes) await this.dialog.getByTestId('notes-input').fill(fields.notes);
    if (fields.tags) await this.dialog.getByTestId('tags-input').fill(fields.tags);
    await this.dialog.getByTestId('record-save').click();
    await expect(this.dialog).toBeHidden();
    await expect(this.page.getByTestId('notice')).toHaveText('Equipment added.');
  }

  async openEdit(row: Locator) {
    await row.getByTestId('record-edit').click();
    await expect(this.dialog).toBeVisible();
  }

  /** The files-and-links section inside the open dialog. */
  get attachments() {
    return this.dialog.getByTestId('attachments');
  }
}
