import { expect, test, type Page } from '@playwright/test';

import { isoDay, RecordsTab } from '../pages/records';
import { VehicleFormPage } from '../pages/vehicle-form';
import { VehiclePage } from '../pages/vehicle';
import { signIn } from './support';

/** Signs in (as the root account) and adds a vehicle; answers its id. */
async function newVehicle(page: Page, model: string) {
  const garage = await signIn(page);
  await garage.startAddingVehicle();
  const id = await new VehicleFormPage(page).save({ year: '2021', make: 'Subaru', model, fuelType: 'gasoline' });
  await new VehiclePage(page).expectLoaded();
  return id;
}

/** Administration → Extra fields: replaces the fields of `recordType` with `fields`. */
async function defineExtraFields(page: Page, recordType: string, fields: { name: string; type: string; required: boolean }[]) {
  await page.goto('/admin/extra-fields');
  const section = page.getByTestId('extra-fields-settings');
  await expect(section).toBeVisible();
  await section.getByTestId('extra-record-type').selectOption(recordType);
  await expect(section.getByTestId('extra-def').first().or(section.getByTestId('extra-fields-empty'))).toBeVisible();
  // Start from none.
  while ((await section.getByTestId('extra-def').count()) > 0) {
    await section.getByTestId('extra-remove-0').click();
  }
  for (const [i, f] of fields.entries()) {
    await section.getByTestId('extra-add').click();
    await section.getByTestId(`extra-name-${i}`).fill(f.name);
    await section.getByTestId(`extra-type-${i}`).selectOption(f.type);
    await section.getByTestId(`extra-required-${i}`).setChecked(f.required);
  }
  await section.getByTestId('extra-save').click();
  await expect(section.getByTestId('notice')).toHaveText(/saved/);
}

test('an extra field defined by root is required and kept in a service record', async ({ page }) => {
  const id = await newVehicle(page, 'Outback');
  await defineExtraFields(page, 'service', [
    { name: 'Warranty until', type: 'date', required: true },
    { name: 'Shop hours', type: 'number', required: false },
  ]);

  const tab = new RecordsTab(page);
  await tab.open(id, 'service');
  await tab.openAdd();
  await expect(tab.dialog.getByText('Warranty until')).toBeVisible();
  await tab.fill({ date: '2024-04-02', description: 'Brake pads', cost: '180', 'extra-1': '2.5' });
  await tab.save();
  // Checked before anything is sent: required, and a whole number.
  await expect(tab.fieldError('extra-0')).toHaveText('Warranty until is required');
  await expect(tab.fieldError('extra-1')).toHaveText('Shop hours must be a whole number');
  await tab.fill({ 'extra-0': '2026-05-31', 'extra-1': '3' });
  await tab.save();
  await expect(tab.dialog).toBeHidden();
  await expect(tab.notice).toHaveText('Service record added.');

  // The values come back with the record.
  await tab.row(0).getByTestId('record-edit').click();
  await expect(tab.dialog.getByTestId('extra-0-input')).toHaveValue('2026-05-31');
  await expect(tab.dialog.getByTestId('extra-1-input')).toHaveValue('3');
  await tab.fill({ 'extra-1': '4' });
  await tab.save();
  await expect(tab.notice).toHaveText('Service record updated.');
  await tab.row(0).getByTestId('record-edit').click();
  await expect(tab.dialog.getByTestId('extra-1-input')).toHaveValue('4');
  await tab.dialog.getByRole('button', { name: 'Cancel' }).click();

  // Leave the installation as it was for the other tests.
  await defineExtraFields(page, 'service', []);
  await expect(page.getByTestId('extra-fields-empty')).toBeVisible();
});

test('a reminder with a custom interval and custom urgency thresholds', async ({ page }) => {
  const id = await newVehicle(page, 'Forester');
  const tab = new RecordsTab(page);
  await tab.open(id, 'reminders');

  await tab.openAdd();
  await tab.fill({
    description: 'Coolant',
    metric: 'date',
    dueDate: isoDay(20),
    isRecurring: true,
    monthInterval: '0',
    customMonthInterval: '45',
    customIntervalUnit: 'days',
    useCustomThresholds: true,
    urgentDays: '5',
    veryUrgentDays: '10',
    urgentDistance: '100',
    veryUrgentDistance: '50',
  });
  await tab.save();
  // "Very urgent" beyond "urgent" is refused by the shared rules.
  await expect(tab.fieldError('veryUrgentDays')).toBeVisible();
  await tab.fill({ urgentDays: '10', veryUrgentDays: '5' });
  await tab.save();
  await expect(tab.dialog).toBeHidden();

  // Due in 20 days: with the default 30 days it would be urgent; with 10 it is not.
  const row = tab.rowTitled('Coolant');
  await expect(row.getByTestId('urgency')).toHaveText('Not urgent');
  await expect(row.getByTestId('flag-recurring')).toHaveText('Every 45 days');

  // Raising the threshold to 25 days makes it urgent.
  await tab.edit(row, { urgentDays: '25' });
  await expect(tab.rowTitled('Coolant').getByTestId('urgency')).toHaveText('Urgent');
  await tab.rowTitled('Coolant').getByTestId('record-edit').click();
  await expect(tab.dialog.getByTestId('customMonthInterval-input')).toHaveValue('45');
  await expect(tab.dialog.getByTestId('useCustomThresholds-input')).toBeChecked();
  await expect(tab.dialog.getByTestId('urgentDays-input')).toHaveValue('25');
});

test('a file attached to a fill-up', async ({ page }) => {
  await newVehicle(page, 'Impreza');
  const vehicle = new VehiclePage(page);
  await vehicle.addFillUp({ date: '2024-02-01', odometer: '5000', amount: '40', cost: '60' });

  await vehicle.row(0).getByTestId('fuel-edit').click();
  const attachments = vehicle.dialog.getByTestId('attachments');
  await expect(attachments.getByTestId('attachments-empty')).toBeVisible();
  await attachments.getByTestId('attachment-file').setInputFiles({
    name: 'receipt.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
  });
  await expect(attachments.getByTestId('attachment-link')).toHaveText('receipt.pdf');

  // Still there when the dialog opens again.
  await vehicle.dialog.getByRole('button', { name: 'Cancel' }).click();
  await vehicle.row(0).getByTestId('fuel-edit').click();
  await expect(vehicle.dialog.getByTestId('attachment-link')).toHaveText('receipt.pdf');
  const href = await vehicle.dialog.getByTestId('attachment-link').getAttribute('href');
  const download = await page.request.get(href ?? '');
  expect(download.status()).toBe(200);
  expect((await download.body()).toString()).toContain('%PDF-1.4');
});

test('bulk edit: tags on two records, clearing with ---, moving to another type', async ({ page }) => {
  const id = await newVehicle(page, 'Legacy');
  const tab = new RecordsTab(page);
  await tab.open(id, 'service');
  await tab.add({ date: '2024-01-05', description: 'Tyres front', cost: '200', tags: 'old' });
  await tab.add({ date: '2024-01-06', description: 'Tyres rear', cost: '210' });
  await tab.add({ date: '2024-01-07', description: 'Wipers', cost: '30', tags: 'keep' });

  const front = () => tab.rowTitled('Jan 5, 2024');
  const rear = () => tab.rowTitled('Jan 6, 2024');
  const wipers = () => tab.rowTitled('Jan 7, 2024');
  await front().getByTestId('record-select').check();
  await rear().getByTestId('record-select').check();
  const bar = page.getByTestId('bulk-bar');
  await expect(bar.getByTestId('bulk-count')).toHaveText('2 selected');
  await bar.getByTestId('bulk-tags-input').fill('tyres winter');
  await bar.getByTestId('bulk-apply').click();
  await expect(tab.notice).toHaveText('2 records updated.');
  await expect(bar).toBeHidden();
  await expect(front().getByTestId('record-tag')).toHaveText(['tyres', 'winter']);
  await expect(rear().getByTestId('record-tag')).toHaveText(['tyres', 'winter']);
  await expect(wipers().getByTestId('record-tag')).toHaveText(['keep']);

  // "---" clears; notes left blank stay as they were.
  await front().getByTestId('record-select').check();
  await bar.getByTestId('bulk-tags-input').fill('---');
  await bar.getByTestId('bulk-apply').click();
  await expect(tab.notice).toHaveText('1 record updated.');
  await expect(front().getByTestId('record-tag')).toHaveCount(0);
  await expect(rear().getByTestId('record-tag')).toHaveText(['tyres', 'winter']);

  // Move the two tyre records to Upgrade.
  await front().getByTestId('record-select').check();
  await rear().getByTestId('record-select').check();
  await bar.getByTestId('bulk-move').selectOption('upgrade');
  await expect(tab.notice).toHaveText('Moved 2 records to Upgrade.');
  await expect(tab.rows).toHaveCount(1);
  await tab.switchTo('upgrade');
  await expect(tab.rows).toHaveCount(2);
});

test('a markdown note shows a heading and a safe link', async ({ page }) => {
  const id = await newVehicle(page, 'BRZ');
  const tab = new RecordsTab(page);
  await tab.open(id, 'notes');
  await tab.add({
    title: 'Tyres',
    body: '# Sizes\nFront **215/45**\n\n- [Manual](https://example.com/manual)\n- [bad](javascript:alert(1))\n\n<b>raw</b>',
  });
  const note = tab.rowTitled('Tyres').getByTestId('record-note');
  await expect(note.locator('h1')).toHaveText('Sizes');
  await expect(note.locator('strong')).toHaveText('215/45');
  const link = note.getByRole('link', { name: 'Manual' });
  await expect(link).toHaveAttribute('href', 'https://example.com/manual');
  // No script link and no raw HTML: both are shown as text.
  await expect(note.locator('a')).toHaveCount(1);
  await expect(note.locator('b')).toHaveCount(0);
  await expect(note).toContainText('<b>raw</b>');
});

test('supplies picked in a new service record: stock shown, over-stock refused inline', async ({ page }) => {
  const id = await newVehicle(page, 'WRX');
  const me = await (await page.request.get('/api/v1/auth/me')).json();
  const created = await page.request.post(`/api/v1/vehicles/${id}/supplies`, {
    headers: { 'X-CSRF-Token': me.csrfToken },
    data: { date: '2024-01-01', description: 'Oil filter', partNumber: 'OF-9', quantity: 6, cost: 27 },
  });
  expect(created.status()).toBe(201);
  const supplyId = (await created.json()).id;

  const tab = new RecordsTab(page);
  await tab.open(id, 'service');
  await tab.openAdd();
  const pick = tab.dialog.locator(`[data-testid="supply-pick"][data-supply-id="${supplyId}"]`);
  await expect(pick).toContainText('Oil filter');
  await expect(pick).toContainText('OF-9');
  await expect(pick.getByTestId('supply-stock')).toHaveText('6 in stock');
  await tab.fill({ date: '2024-06-01', description: 'Oil change', cost: '60' });
  await pick.getByTestId('supply-quantity-input').fill('7');
  await expect(pick.getByTestId('supply-error')).toHaveText('Insufficient supplies: 6 in stock');
  await tab.save();
  await expect(tab.dialog).toBeVisible();
  await pick.getByTestId('supply-quantity-input').fill('4');
  await expect(pick.getByTestId('supply-error')).toHaveCount(0);
  await tab.save();
  await expect(tab.dialog).toBeHidden();

  // 6 units worth 27.00, 4 used: 2 left worth 9.00.
  const supply = await (await page.request.get(`/api/v1/vehicles/${id}/supplies/${supplyId}`)).json();
  expect(supply.quantity).toBe(2);
  expect(supply.cost).toBe(9);
});
