import { expect, type Locator, type Page } from '@playwright/test';

import type { RecordFields } from './records';

/** Column slugs as the board's test ids spell them. */
export type Column = 'backlog' | 'inProgress' | 'testing' | 'done';

/** The Planner tab of `/vehicles/:id/planner`: the Kanban board and the plan templates. */
export class PlannerTab {
  constructor(private readonly page: Page) {}

  async open(vehicleId: number) {
    await this.page.goto(`/vehicles/${vehicleId}/planner`);
    await this.expectShown();
  }

  async switchTo() {
    await this.page.getByTestId('tab-planner').click();
    await this.expectShown();
  }

  async expectShown() {
    await expect(this.page.getByTestId('tab-planner')).toHaveAttribute('aria-current', 'page');
    await expect(this.page.getByTestId('plan-board')).toBeVisible();
  }

  column(column: Column) {
    return this.page.getByTestId(`plan-column-${column}`);
  }

  cards(column: Column) {
    return this.column(column).getByTestId('plan-card');
  }

  /** The card reading `description`, wherever it is. */
  card(description: string) {
    return this.page
      .getByTestId('plan-card')
      .filter({ has: this.page.getByTestId('plan-description').filter({ hasText: description }) });
  }

  get dialog() {
    return this.page.getByTestId('record-dialog');
  }

  get notice() {
    return this.page.getByTestId('notice');
  }

  get alert() {
    return this.page.getByTestId('alert');
  }

  fieldError(field: string) {
    return this.dialog.getByTestId(`error-${field}`);
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
    await this.page.getByTestId('add-plan').click();
    await expect(this.dialog).toBeVisible();
    await this.fill(fields);
    await this.save();
    await expect(this.dialog).toBeHidden();
  }

  /** Moves a card with its accessible "Move to…" select (Done opens the odometer dialog). */
  async moveTo(card: Locator, column: Column) {
    await card.getByTestId('plan-move').selectOption(column);
  }

  /** Moves a card to Done, giving the odometer. */
  async finish(card: Locator, odometer: string) {
    await this.moveTo(card, 'done');
    await expect(this.dialog).toBeVisible();
    await this.fill({ odometer });
    await this.save();
    await expect(this.dialog).toBeHidden();
  }
}
