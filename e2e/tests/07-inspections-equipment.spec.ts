import { expect, test, type Page } from '@playwright/test';
import * as fs from 'node:fs';

import { EquipmentTab } from '../pages/equipment';
import { InspectionsTab } from '../pages/inspections';
import { isoDay } from '../pages/records';
import { VehicleFormPage } from '../pages/vehicle-form';
import { VehiclePage } from '../pages/vehicle';
import { expectNoHorizontalOverflow, shot, signIn } from './support';

/** Signs in and adds a vehicle; answers its id. */
async function newVehicle(page: Page, model: string) {
  const garage = await signIn(page);
  await garage.startAddingVehicle();
  const id = await new VehicleFormPage(page).save({ year: '2019', make: 'Honda', model, fuelType: 'gasoline' });
  await new VehiclePage(page).expectLoaded();
  return id;
}

/** A JSON write through the browser's session (cookie plus its CSRF token). */
async function apiWrite(page: Page, method: 'POST' | 'PUT', path: string, data: unknown) {
  const me = await page.request.get('/api/v1/auth/me');
  expect(me.ok()).toBeTruthy();
  const { csrfToken } = await me.json();
  const response = await page.request.fetch(`/api/v1${path}`, {
    method,
    data,
    headers: { 'X-CSRF-Token': csrfToken },
  });
  expect(response.ok(), await response.text()).toBeTruthy();
  return response.json();
}

test('equipment: add, list, upload a file and download it back', async ({ page }, info) => {
  const id = await newVehicle(page, 'Equipped');
  const tab = new EquipmentTab(page);
  await tab.open(id);
  await expect(tab.empty).toBeVisible();

  // The shared rule answers before anything is sent.
  await page.getByTestId('add-record').click();
  await tab.dialog.getByTestId('record-save').click();
  await expect(tab.dialog.getByTestId('error-description')).toHaveText('Description is required');
  await tab.dialog.getByRole('button', { name: 'Cancel' }).click();

  await tab.add({ description: 'Winter tyres', equipped: true, notes: 'Nokian 205/55 R16', tags: 'tyres winter' });
  await tab.add({ description: 'Roof box', equipped: false });
  await expect(tab.rows).toHaveCount(2);
  const tyres = tab.row('Winter tyres');
  await expect(tyres.getByTestId('equipped')).toHaveText('Equipped');
  await expect(tab.row('Roof box').getByTestId('equipped')).toHaveText('Not equipped');
  await expect(tyres.getByTestId('record-distance')).toHaveText('0');
  await expect(tyres.getByTestId('record-tag')).toHaveText(['tyres', 'winter']);
  await expectNoHorizontalOverflow(page);
  await shot(page, info, 'tab-equipment');

  // Files live in the edit dialog.
  await tab.openEdit(tyres);
  const files = tab.attachments;
  await expect(files.getByTestId('attachments-empty')).toBeVisible();
  const content = 'tyre receipt\n';
  await files.getByTestId('attachment-file').setInputFiles({
    name: 'receipt.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from(content),
  });
  const attachment = files.getByTestId('attachment');
  await expect(attachment).toHaveCount(1);
  await expect(attachment.getByTestId('attachment-link')).toHaveText('receipt.pdf');
  const downloading = page.waitForEvent('download');
  await attachment.getByTestId('attachment-link').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('receipt.pdf');
  expect(fs.readFileSync(await download.path(), 'utf8')).toBe(content);

  // A disallowed type is refused with the server's reason.
  await files.getByTestId('attachment-file').setInputFiles({
    name: 'script.exe',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('MZ'),
  });
  await expect(files.getByTestId('alert')).toContainText('not allowed');
  await expect(attachment).toHaveCount(1);

  // A link.
  await files.getByTestId('attachment-add-link').click();
  await files.getByTestId('link-name-input').fill('Tyre manual');
  await files.getByTestId('link-url-input').fill('https://example.com/tyres.pdf');
  await files.getByTestId('link-save').click();
  await expect(attachment).toHaveCount(2);
  await shot(page, info, 'equipment-files', false);
  await attachment.filter({ hasText: 'Tyre manual' }).getByTestId('attachment-delete').click();
  await expect(attachment).toHaveCount(1);

  // Edit: no longer equipped.
  await tab.dialog.getByTestId('isEquipped-input').setChecked(false);
  await tab.dialog.getByTestId('record-save').click();
  await expect(tab.dialog).toBeHidden();
  await expect(tyres.getByTestId('equipped')).toHaveText('Not equipped');
});

test('inspections: template, a failing run with live pass/fail, a Backlog plan, past-due badge in the garage', async ({ page }, info) => {
  const id = await newVehicle(page, 'Inspected');
  const tab = new InspectionsTab(page);
  await tab.open(id);
  await expect(page.getByTestId('templates-empty')).toBeVisible();

  tab.beforeSave = () => shot(page, info, 'template-editor', false);
  await tab.createTemplate('Pre-ride check', [
    { description: 'Brake pads', type: 'check', options: [{ description: 'Worn', fail: true }], action: 'Replace brake pads' },
    { description: 'Tyre tread', type: 'radio', options: [{ description: 'Good' }, { description: 'Bald', fail: true }] },
  ]);
  await expect(tab.templates).toHaveCount(1);
  await expect(tab.templates.first()).toContainText('2 fields');

  await tab.startInspection('Pre-ride check');
  const brakes = tab.field('Brake pads');
  const tread = tab.field('Tyre tread');
  // A check field fails while its Fail option is left unticked: live, as the server judges it.
  await expect(brakes.getByTestId('result-badge')).toHaveText('Fail');
  await brakes.getByLabel('Worn').check();
  await expect(brakes.getByTestId('result-badge')).toHaveText('Pass');
  await brakes.getByLabel('Worn').uncheck();
  await expect(brakes.getByTestId('result-badge')).toHaveText('Fail');
  await tread.getByLabel('Bald').check();
  await expect(tread.getByTestId('result-badge')).toHaveText('Fail');
  await tread.getByLabel('Good').check();
  await expect(tread.getByTestId('result-badge')).toHaveText('Pass');
  await tab.form.getByTestId('odometer-input').fill('15200');
  await tab.form.getByTestId('cost-input').fill('25');
  await expectNoHorizontalOverflow(page);
  await shot(page, info, 'inspection-run');
  await tab.form.getByTestId('inspection-save').click();

  // The created inspection is shown.
  await expect(tab.detail).toBeVisible();
  await expect(tab.detail.getByTestId('inspection-badge')).toHaveText('Fail');
  await expect(tab.detail.getByTestId('result-row')).toHaveCount(2);
  await expect(tab.detail.getByTestId('result-row').filter({ hasText: 'Brake pads' }).getByTestId('result-badge')).toHaveText('Fail');
  await expect(tab.detail.getByTestId('result-row').filter({ hasText: 'Tyre tread' }).getByTestId('result-badge')).toHaveText('Pass');
  await expect(page.getByTestId('notice')).toContainText('Planner backlog');
  await shot(page, info, 'inspection-detail');

  // The failed field's action item became a Backlog plan.
  const plans = await page.request.get(`/api/v1/vehicles/${id}/plans`);
  expect(plans.ok()).toBeTruthy();
  const { records } = await plans.json();
  expect(records).toEqual(
    expect.arrayContaining([expect.objectContaining({ description: 'Replace brake pads', progress: 'backlog' })]),
  );

  await page.getByTestId('inspection-back').click();
  await expect(tab.rows).toHaveCount(1);
  await expect(tab.rows.first().getByTestId('inspection-badge')).toHaveText('Fail');
  await expect(tab.rows.first().getByTestId('record-odometer')).toHaveText('15,200');
  await expect(page.getByTestId('total-cost')).toHaveText('25.00');
  await expectNoHorizontalOverflow(page);
  await shot(page, info, 'tab-inspections');

  // An overdue reminder shows on the garage card.
  await apiWrite(page, 'POST', `/vehicles/${id}/reminders`, {
    description: 'Annual inspection',
    metric: 'date',
    dueDate: isoDay(-10),
  });
  const garage = await signIn(page);
  const card = garage.card('2019 Honda Inspected');
  await expect(card.getByTestId('reminder-badge')).toHaveText('1 past due');
  await expect(card.getByTestId('reminder-next')).toContainText('Annual inspection');
  await expectNoHorizontalOverflow(page);
  await shot(page, info, 'garage-reminders');

  // Delete the inspection.
  await tab.open(id);
  await tab.rows.first().getByTestId('record-view').click();
  await page.getByTestId('inspection-delete').click();
  await page.getByTestId('confirm-delete').click();
  await expect(page.getByTestId('records-empty')).toBeVisible();
});
