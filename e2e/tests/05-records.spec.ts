import { expect, test, type Page } from '@playwright/test';

import { isoDay, RecordsTab } from '../pages/records';
import { VehicleFormPage } from '../pages/vehicle-form';
import { VehiclePage } from '../pages/vehicle';
import { expectNoHorizontalOverflow, shot, signIn } from './support';

/** Signs in and adds a vehicle; answers its id. */
async function newVehicle(page: Page, model: string) {
  const garage = await signIn(page);
  await garage.startAddingVehicle();
  const id = await new VehicleFormPage(page).save({ year: '2020', make: 'Mazda', model, fuelType: 'gasoline' });
  await new VehiclePage(page).expectLoaded();
  return id;
}

test('service records: inline validation, totals, sort, move to Repair, delete', async ({ page }, info) => {
  const id = await newVehicle(page, 'MX-5');
  const tab = new RecordsTab(page);
  await tab.switchTo('service');
  await expect(page).toHaveURL(new RegExp(`/vehicles/${id}/service$`));
  await expect(tab.empty).toBeVisible();

  // The shared rules answer before anything is sent.
  await tab.openAdd();
  await tab.fill({ date: '2024-03-01', description: '', cost: '-5' });
  await tab.save();
  await expect(tab.fieldError('description')).toHaveText('Description is required');
  await expect(tab.fieldError('cost')).toBeVisible();
  await tab.fill({ description: 'Oil change', odometer: '12000', cost: '89.90', notes: 'Synthetic 5W-30', tags: 'oil engine' });
  await tab.save();
  await expect(tab.dialog).toBeHidden();
  await expect(tab.rows).toHaveCount(1);

  await tab.add({ date: '2024-05-10', description: 'Air filter', odometer: '14000', cost: '20' });
  await expect(tab.figure('total-cost')).toHaveText('109.90');
  const oil = tab.rowTitled('Mar 1, 2024');
  await expect(oil.getByTestId('record-description')).toHaveText('Oil change');
  await expect(oil.getByTestId('record-odometer')).toHaveText('12,000');
  await expect(oil.getByTestId('record-cost')).toHaveText('89.90');
  await expect(oil.getByTestId('record-tag')).toHaveText(['oil', 'engine']);

  // Newest first, then oldest first.
  await expect(tab.titleCells).toHaveText(['May 10, 2024', 'Mar 1, 2024']);
  await page.getByTestId('sort-toggle').click();
  await expect(tab.titleCells).toHaveText(['Mar 1, 2024', 'May 10, 2024']);

  await tab.edit(oil, { cost: '100' });
  await expect(tab.figure('total-cost')).toHaveText('120.00');
  await expectNoHorizontalOverflow(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, info, 'tab-service');

  // Move the air filter to Repair: it leaves this list and shows up there.
  await tab.rowTitled('May 10, 2024').getByTestId('record-move').selectOption('repair');
  await expect(tab.notice).toHaveText('Moved to Repair.');
  await expect(tab.rows).toHaveCount(1);
  await expect(tab.figure('total-cost')).toHaveText('100.00');
  await tab.switchTo('repair');
  await expect(tab.rows).toHaveCount(1);
  await expect(tab.row(0).getByTestId('record-description')).toHaveText('Air filter');
  await expect(tab.figure('total-cost')).toHaveText('20.00');

  await tab.remove(tab.row(0));
  await tab.switchTo('service');
  await tab.remove(tab.row(0));
});

test('odometer readings: distances, recalculate, edit, delete', async ({ page }, info) => {
  const id = await newVehicle(page, 'CX-5');
  const tab = new RecordsTab(page);
  await tab.open(id, 'odometer');

  await tab.add({ date: '2024-01-01', odometer: '1000' });
  await tab.add({ date: '2024-02-01', odometer: '1500' });
  // Entered late: it starts at the highest reading so far, capped at its own (distance 0).
  await tab.add({ date: '2024-01-15', odometer: '1200' });
  const late = tab.rowTitled('Jan 15, 2024');
  await expect(late.getByTestId('record-initial')).toHaveText('1,200');
  await expect(late.getByTestId('record-distance')).toHaveText('0');

  await page.getByTestId('recalculate').click();
  await expect(tab.notice).toHaveText('Distances recalculated.');
  await expect(late.getByTestId('record-initial')).toHaveText('1,000');
  await expect(late.getByTestId('record-distance')).toHaveText('200');
  await expect(tab.rowTitled('Feb 1, 2024').getByTestId('record-distance')).toHaveText('300');
  await expect(tab.figure('total-distance')).toHaveText('500');
  await expect(tab.figure('current-odometer')).toHaveText('1,500');
  await expectNoHorizontalOverflow(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, info, 'tab-odometer');

  // A reading below its start is refused inline.
  await tab.rowTitled('Feb 1, 2024').getByTestId('record-edit').click();
  await tab.fill({ initialOdometer: '1600' });
  await tab.save();
  await expect(tab.fieldError('initialOdometer')).toBeVisible();
  await tab.fill({ initialOdometer: '1200', odometer: '1700' });
  await tab.save();
  await expect(tab.dialog).toBeHidden();
  await expect(tab.rowTitled('Feb 1, 2024').getByTestId('record-distance')).toHaveText('500');

  await tab.remove(late);
  await expect(tab.rows).toHaveCount(2);
});

test('tax records: a recurring one shows its interval, totals, edit, delete', async ({ page }, info) => {
  const id = await newVehicle(page, 'Mazda3');
  const tab = new RecordsTab(page);
  await tab.open(id, 'tax');

  // A custom interval needs a number.
  await tab.openAdd();
  await tab.fill({ date: isoDay(0), description: 'Registration', cost: '120.50', isRecurring: true, recurringInterval: '0' });
  await tab.save();
  await expect(tab.fieldError('customInterval')).toBeVisible();
  await tab.fill({ recurringInterval: '12', tags: 'dmv' });
  await tab.save();
  await expect(tab.dialog).toBeHidden();
  await expect(tab.rows).toHaveCount(1);

  await tab.add({ date: '2024-04-02', description: 'Parking fine', cost: '40' });
  await expect(tab.figure('total-cost')).toHaveText('160.50');
  const registration = tab.rows.filter({ hasText: 'Registration' });
  await expect(registration.getByTestId('record-recurrence')).toHaveText('Every 12 months');
  await expect(registration.getByTestId('flag-recurring')).toHaveText('Recurring');
  const fine = tab.rows.filter({ hasText: 'Parking fine' });
  await expect(fine.getByTestId('record-recurrence')).toHaveText('One-off');
  await expect(fine.getByTestId('flag-recurring')).toHaveCount(0);
  await expectNoHorizontalOverflow(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, info, 'tab-tax');

  await tab.edit(fine, { cost: '55' });
  await expect(tab.figure('total-cost')).toHaveText('175.50');
  await tab.remove(fine);
  await expect(tab.figure('total-cost')).toHaveText('120.50');
});

test('reminders: urgency badges, due in N days, mark done', async ({ page }, info) => {
  const id = await newVehicle(page, 'CX-30');
  const tab = new RecordsTab(page);
  await tab.open(id, 'reminders');

  await tab.openAdd();
  await tab.fill({ description: 'Tyre rotation' });
  await tab.save();
  await expect(tab.fieldError('dueDate')).toBeVisible();
  await tab.fill({ dueDate: isoDay(5) });
  await tab.save();
  await expect(tab.dialog).toBeHidden();
  await expect(tab.rows).toHaveCount(1);
  await tab.add({ description: 'Inspection', dueDate: isoDay(20), notes: 'Bring the papers' });
  await tab.add({ description: 'Insurance renewal', dueDate: isoDay(90), isRecurring: true, monthInterval: '12' });

  const tyres = tab.rowTitled('Tyre rotation');
  await expect(tyres.getByTestId('urgency')).toHaveText('Very urgent');
  await expect(tyres.getByTestId('record-due-in')).toHaveText('in 5 days');
  await expect(tab.rowTitled('Inspection').getByTestId('urgency')).toHaveText('Urgent');
  const insurance = tab.rowTitled('Insurance renewal');
  await expect(insurance.getByTestId('urgency')).toHaveText('Not urgent');
  await expect(insurance.getByTestId('flag-recurring')).toHaveText('Every 12 months');
  // Most urgent first.
  await expect(tab.titleCells).toHaveText(['Tyre rotation', 'Inspection', 'Insurance renewal']);
  await expectNoHorizontalOverflow(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, info, 'tab-reminders');

  // A one-off reminder that is done goes away.
  await tyres.getByTestId('record-done').click();
  await expect(tab.notice).toHaveText('Reminder marked done.');
  await expect(tab.rows).toHaveCount(2);

  await tab.edit(tab.rowTitled('Inspection'), { dueDate: isoDay(-2) });
  await expect(tab.rowTitled('Inspection').getByTestId('urgency')).toHaveText('Past due');
  await expect(tab.rowTitled('Inspection').getByTestId('record-due-in')).toHaveText('2 days ago');
  await tab.remove(tab.rowTitled('Inspection'));
});

test('notes: pinned first, pin toggle, body kept as typed, deep link', async ({ page }, info) => {
  const id = await newVehicle(page, 'CX-3');
  const tab = new RecordsTab(page);
  await tab.open(id, 'notes');

  await tab.openAdd();
  await tab.save();
  await expect(tab.fieldError('title')).toHaveText('Title is required');
  await tab.fill({ title: 'Tyre sizes', body: 'Front: 205/55 R16\nRear: 225/45 R17' });
  await tab.save();
  await expect(tab.dialog).toBeHidden();
  await expect(tab.rows).toHaveCount(1);
  await tab.add({ title: 'Spare key', body: '**Kitchen** drawer', isPinned: true, tags: 'keys' });

  await expect(tab.titleCells).toHaveText(['Spare key', 'Tyre sizes']);
  await expect(tab.row(0).getByTestId('flag-pinned')).toHaveText('Pinned');
  const sizes = tab.rowTitled('Tyre sizes');
  await expect(sizes.getByTestId('record-note')).toHaveText('Front: 205/55 R16\nRear: 225/45 R17');
  await expect(sizes.getByTestId('record-note')).toHaveCSS('white-space', 'pre-wrap');
  // The body is markdown (issue 3): `**Kitchen**` shows in bold.
  await expect(tab.row(0).getByTestId('record-note')).toHaveText('Kitchen drawer');
  await expect(tab.row(0).getByTestId('record-note').locator('strong')).toHaveText('Kitchen');
  await expectNoHorizontalOverflow(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, info, 'tab-notes');

  // Unpin the key note: the newer-first order applies again.
  await tab.row(0).getByTestId('record-pin').click();
  await expect(tab.notice).toHaveText('Note unpinned.');
  await expect(page.getByTestId('flag-pinned')).toHaveCount(0);
  await sizes.getByTestId('record-pin').click();
  await expect(tab.notice).toHaveText('Note pinned.');
  await expect(tab.titleCells).toHaveText(['Tyre sizes', 'Spare key']);

  // A deep link reloads into the same tab.
  await page.reload();
  await tab.expectShown('notes');
  await expect(tab.titleCells).toHaveText(['Tyre sizes', 'Spare key']);

  await tab.edit(tab.rowTitled('Spare key'), { title: 'Spare keys' });
  await tab.remove(tab.rowTitled('Spare keys'));
  await expect(tab.rows).toHaveCount(1);
});
