import { expect, type Page } from '@playwright/test';

export type TemplateField = {
  description: string;
  type: 'check' | 'radio' | 'text';
  options?: { description: string; fail?: boolean }[];
  action?: string;
};

/** `/vehicles/:id/inspections`: templates, the run form, the list and the detail view. */
export class InspectionsTab {
  constructor(private readonly page: Page) {}

  /** Runs with the template editor filled, before it is saved (screenshots). */
  beforeSave?: () => Promise<void>;

  async open(vehicleId: number) {
    await this.page.goto(`/vehicles/${vehicleId}/inspections`);
    await expect(this.page.getByTestId('templates')).toBeVisible();
  }

  get templateDialog() {
    return this.page.getByTestId('template-dialog');
  }

  get templates() {
    return this.page.getByTestId('template-row');
  }

  get rows() {
    return this.page.getByTestId('record-row');
  }

  get form() {
    return this.page.getByTestId('inspection-form');
  }

  get detail() {
    return this.page.getByTestId('inspection-detail');
  }

  /** Creates a template through the editor. */
  async createTemplate(description: string, fields: TemplateField[]) {
    await this.page.getByTestId('add-template').click();
    const dialog = this.templateDialog;
    await expect(dialog).toBeVisible();
    await dialog.getByTestId('description-input').fill(description);
    for (const [i, field] of fields.entries()) {
      if (i > 0) await dialog.getByTestId('add-field').click();
      const row = dialog.getByTestId('template-field').nth(i);
      await row.getByTestId('field-description-input').fill(field.description);
      await row.getByTestId('field-type-input').selectOption(field.type);
      for (const [j, option] of (field.options ?? []).entries()) {
        if (j > 0) await row.getByTestId('add-option').click();
        const optionRow = row.getByTestId('option-row').nth(j);
        await optionRow.getByTestId('option-description-input').fill(option.description);
        await optionRow.getByTestId('option-fail-input').setChecked(!!option.fail);
      }
      if (field.action) {
        await row.getByTestId('field-action-input').check();
        await row.getByTestId('action-description-input').fill(field.action);
      }
    }
    await this.beforeSave?.();
    await dialog.getByTestId('template-save').click();
    await expect(dialog).toBeHidden();
    await expect(this.page.getByTestId('notice')).toHaveText('Template created.');
  }

  async startInspection(template: string) {
    await this.templates.filter({ hasText: template }).getByTestId('template-run').click();
    await expect(this.form).toBeVisible();
  }

  /** The run form's block for one template field. */
  field(description: string) {
    return this.form.getByTestId('run-field').filter({ hasText: description });
  }
}
