import { expect, type Page } from '@playwright/test';

/** The Reports tab of `/vehicles/:id/reports`: the cost table and its year filter. */
export class ReportsTab {
  constructor(private readonly page: Page) {}

  async open(vehicleId: number) {
    await this.page.goto(`/vehicles/${vehicleId}/reports`);
    await this.expectShown();
  }

  async expectShown() {
    await expect(this.page.getByTestId('tab-reports')).toHaveAttribute('aria-current', 'page');
    await expect(this.table).toBeVisible();
  }

  get table() {
    return this.page.getByTestId('cost-table');
  }

  get year() {
    return this.page.getByTestId('report-year');
  }

  get basis() {
    return this.page.getByTestId('report-basis');
  }

  /** A figure: `ct-service-cost`, `ct-total-distance-cost`, … */
  figure(testid: string) {
    return this.page.getByTestId(testid);
  }

  get historyLink() {
    return this.page.getByTestId('history-link');
  }
}

/** `/vehicles/:id/history`: the printable vehicle history report. */
export class HistoryReport {
  constructor(private readonly page: Page) {}

  async expectShown() {
    await expect(this.page).toHaveURL(/\/vehicles\/\d+\/history$/);
    await expect(this.report).toBeVisible();
  }

  get report() {
    return this.page.getByTestId('history-report');
  }

  get controls() {
    return this.page.getByTestId('history-controls');
  }

  get rows() {
    return this.page.getByTestId('history-row');
  }

  get headers() {
    return this.page.getByTestId('history-table').locator('thead th');
  }

  figure(testid: string) {
    return this.page.getByTestId(testid);
  }

  tag(name: string) {
    return this.page.getByTestId('history-tag').filter({ hasText: name }).locator('input');
  }

  get tagMode() {
    return this.page.getByTestId('history-tag-mode');
  }

  get from() {
    return this.page.getByTestId('history-from');
  }

  get to() {
    return this.page.getByTestId('history-to');
  }

  column(key: string) {
    return this.page.getByTestId(`column-${key}-shown`);
  }

  get print() {
    return this.page.getByTestId('history-print');
  }
}
