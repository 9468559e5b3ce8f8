import { expect, type Locator, type Page } from '@playwright/test';

/** A form's fields by their JSON name: text for inputs and selects, true/false for checkboxes. */
export type RecordFields = Record<string, string | boolean>;

/**
 * A record tab of `/vehicles/:id/:tab` besides Fuel (service, repair, upgrade, odometer, tax,
 * reminders, notes): they share one table, one dialog and the same test ids.
 */
export class RecordsTab {
  constructor(private readonly page: Page) {}

  async open(vehicleId: number, tab: string) {
    await this.page.goto(`/vehicles/${vehicleId}/${tab}`);
    await this.expectShown(tab);
  }

  tabLink(tab: string) {
    return this.page.getByTestId(`tab-${tab}`);
  }

  /** Follows the tab bar's link (no reload). */
  async switchTo(tab: string) {
    await this.tabLink(tab).click();
    await this.expectShown(tab);
  }

  async expectShown(tab: string) {
    await expect(this.tabLink(tab)).toHaveAttribute('aria-current', 'page');
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

  row(index: number) {
    return this.rows.nth(index);
  }

  /** The row whose first column reads `title`. */
  rowTitled(title: string) {
    return this.rows.filter({ has: this.page.getByTestId('record-title').filter({ hasText: title }) });
  }

  figure(testId: string) {
    return this.page.getByTestId(testId);
  }

  get dialog() {
    return this.page.getByTestId('record-dialog');
  }

  get notice() {
    return this.page.getByTestId('notice');
  }

  fieldError(field: string) {
    return this.dialog.getByTestId(`error-${field}`);
  }

  async openAdd() {
    await this.page.getByTestId('add-record').click();
    await expect(this.dialog).toBeVisible();
  }

  async fill(fields: RecordFields) {
    for (const [field, value] of Object.entries(fields)) {
      const input = this.dialog.getByTestId(`${field}-input`);
      if (typeof value === 'boolean') {
        await input.setChecked(value);
      } else if ((await input.evaluate((e) => e.tagName)) === 'SELECT') {
        await input.selectOption(value);
      } else {
        await input.fill(value);
      }
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
    await expect(this.notice).toHaveText(/added/);
    await expect(this.rows).toHaveCount(before + 1);
  }

  async edit(row: Locator, fields: RecordFields) {
    await row.getByTestId('record-edit').click();
    await expect(this.dialog).toBeVisible();
    await this.fill(fields);
    await this.save();
    await expect(this.dialog).toBeHidden();
    await expect(this.notice).toHaveText(/updated/);
  }

  async remove(row: Locator) {
    const before = await this.rows.count();
    await row.getByTestId('record-delete').click();
    const confirm = this.page.getByTestId('confirm-dialog');
    await expect(confirm).toBeVisible();
    await confirm.getByTestId('confirm-delete').click();
    await expect(confirm).toBeHidden();
    if (before === 1) {
      await expect(this.empty).toBeVisible();
    } else {
      await expect(this.rows).toHaveCount(before - 1);
    }
  }

  /** The rows' first column (date or title) in display order. */
  get titleCells() {
    return this.rows.getByTestId('record-title');
  }
}

/** `YYYY-MM-DD`, `days` from today in the browser's (the test machine's) time zone. */
export function isoDay(days: number) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
