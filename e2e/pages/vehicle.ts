import { expect, type Locator, type Page } from '@playwright/test';

export interface FillUp {
  date?: string;
  odometer?: string;
  amount?: string;
  cost?: string;
  full?: boolean;
  missed?: boolean;
  notes?: string;
  tags?: string;
}

/** `/vehicles/:id` with its Fuel tab and the fill-up dialog. */
export class VehiclePage {
  constructor(private readonly page: Page) {}

  async goto(id: number) {
    await this.page.goto(`/vehicles/${id}`);
    await this.expectLoaded();
  }

  get heading() {
    return this.page.getByTestId('vehicle-heading');
  }

  get rows() {
    return this.page.getByTestId('fuel-row');
  }

  row(index: number) {
    return this.rows.nth(index);
  }

  economyOf(row: Locator) {
    return row.getByTestId('fuel-economy');
  }

  get averageEconomy() {
    return this.page.getByTestId('avg-economy');
  }

  get economyUnit() {
    return this.page.getByTestId('economy-unit');
  }

  get totalCost() {
    return this.page.getByTestId('total-cost');
  }

  get totalFuel() {
    return this.page.getByTestId('total-fuel');
  }

  get chart() {
    return this.page.getByTestId('economy-chart');
  }

  get chartPoints() {
    return this.chart.getByTestId('chart-point');
  }

  get dialog() {
    return this.page.getByTestId('fuel-dialog');
  }

  get notice() {
    return this.page.getByTestId('notice');
  }

  fieldError(field: string) {
    return this.dialog.getByTestId(`error-${field}`);
  }

  async expectLoaded() {
    await expect(this.heading).toBeVisible();
    await expect(this.page.getByTestId('fuel-summary').or(this.page.getByTestId('fuel-empty'))).toBeVisible();
  }

  async openAddDialog() {
    await this.page.getByTestId('add-fuel').click();
    await expect(this.dialog).toBeVisible();
  }

  async fillDialog(f: FillUp) {
    const d = this.dialog;
    if (f.date !== undefined) await d.getByTestId('fuel-date-input').fill(f.date);
    if (f.odometer !== undefined) await d.getByTestId('fuel-odometer-input').fill(f.odometer);
    if (f.amount !== undefined) await d.getByTestId('fuel-amount-input').fill(f.amount);
    if (f.cost !== undefined) await d.getByTestId('fuel-cost-input').fill(f.cost);
    if (f.full !== undefined) await d.getByTestId('fuel-full-input').setChecked(f.full);
    if (f.missed !== undefined) await d.getByTestId('fuel-missed-input').setChecked(f.missed);
    if (f.notes !== undefined) await d.getByTestId('fuel-notes-input').fill(f.notes);
    if (f.tags !== undefined) await d.getByTestId('fuel-tags-input').fill(f.tags);
  }

  async submitDialog() {
    await this.dialog.getByTestId('fuel-save').click();
  }

  async cancelDialog() {
    await this.dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(this.dialog).toBeHidden();
  }

  async addFillUp(f: FillUp) {
    const before = await this.rows.count();
    await this.openAddDialog();
    await expect(this.dialog.getByTestId('fuel-full-input')).toBeChecked();
    await this.fillDialog(f);
    await this.submitDialog();
    await expect(this.dialog).toBeHidden();
    await expect(this.rows).toHaveCount(before + 1);
  }

  async editFillUp(index: number, f: FillUp) {
    await this.row(index).getByTestId('fuel-edit').click();
    await expect(this.dialog).toBeVisible();
    await this.fillDialog(f);
    await this.submitDialog();
    await expect(this.dialog).toBeHidden();
    await expect(this.notice).toHaveText(/updated/);
  }

  async deleteFillUp(index: number) {
    const before = await this.rows.count();
    await this.row(index).getByTestId('fuel-delete').click();
    const confirm = this.page.getByTestId('confirm-dialog');
    await expect(confirm).toBeVisible();
    await confirm.getByTestId('confirm-delete').click();
    await expect(confirm).toBeHidden();
    await expect(this.rows).toHaveCount(before - 1);
  }

  async openEdit() {
    await this.page.getByTestId('vehicle-edit').click();
    await expect(this.page).toHaveURL(/\/vehicles\/\d+\/edit$/);
  }
}
