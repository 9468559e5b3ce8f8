import { expect, test, type Page } from '@playwright/test';

import { PlannerTab } from '../pages/planner';
import { RecordsTab } from '../pages/records';
import { SuppliesTab } from '../pages/supplies';
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

test('supplies: inline validation, unit cost, usage history, edit, delete, shop supplies', async ({ page }, info) => {
  const id = await newVehicle(page, 'Civic');
  const tab = new SuppliesTab(page);
  await tab.switchTo();
  await expect(page).toHaveURL(new RegExp(`/vehicles/${id}/supplies$`));
  await expect(tab.section.getByTestId('supplies-empty')).toBeVisible();
  // The signed-in user is the first (root) account: the shop's list can be changed too.
  await expect(tab.shopSection).toBeVisible();
  await expect(tab.shopSection.getByTestId('add-shop-supply')).toBeVisible();

  // The shared rules answer before anything is sent.
  await tab.openAdd();
  await tab.fill({ description: '', quantity: 'x', cost: '-1' });
  await tab.save();
  await expect(tab.fieldError('description')).toHaveText('Description is required');
  await expect(tab.fieldError('quantity')).toBeVisible();
  await expect(tab.fieldError('cost')).toBeVisible();
  await tab.fill({ description: 'Oil filter', partNumber: 'PF-48', supplier: 'AutoParts', quantity: '10', cost: '45.00' });
  await tab.save();
  await expect(tab.dialog).toBeHidden();
  await expect(tab.notice).toHaveText('Supply added.');

  const filter = tab.rowDescribed('Oil filter');
  await expect(filter.getByTestId('supply-quantity')).toHaveText('10');
  await expect(filter.getByTestId('supply-cost')).toHaveText('45.00');
  await expect(filter.getByTestId('supply-unit-cost')).toHaveText('4.50');
  await expect(filter.getByTestId('supply-part')).toHaveText('PF-48');
  await expect(page.getByTestId('supplies-total')).toHaveText('45.00');

  await tab.add({ description: 'Engine oil 5W-30', quantity: '3', cost: '20' });
  await expect(tab.rowDescribed('Engine oil').getByTestId('supply-unit-cost')).toHaveText('6.67');
  await expect(page.getByTestId('supplies-total')).toHaveText('65.00');
  await expectNoHorizontalOverflow(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, info, 'tab-supplies');

  // A service record that uses 2 filters leaves 8 worth 36.00, and a usage entry.
  const response = await page.evaluate(async ({ vehicle, supply }) => {
    const me = await (await fetch('/api/v1/auth/me')).json();
    const r = await fetch(`/api/v1/vehicles/${vehicle}/service-records`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken },
      body: JSON.stringify({ date: '2024-06-01', odometer: 5000, description: 'Oil change', supplies: [{ supplyId: supply, quantity: 2 }] }),
    });
    return r.status;
  }, { vehicle: id, supply: Number(await filter.getAttribute('data-record-id')) });
  expect(response).toBe(201);
  await page.reload();
  await tab.expectShown();
  await expect(filter.getByTestId('supply-quantity')).toHaveText('8');
  await expect(filter.getByTestId('supply-cost')).toHaveText('36.00');
  await expect(filter.getByTestId('supply-unit-cost')).toHaveText('4.50');
  await filter.getByTestId('supply-history').locator('summary').click();
  await expect(filter.getByTestId('supply-usage')).toHaveCount(1);
  await expect(filter.getByTestId('supply-usage')).toContainText('Oil change');

  await tab.edit(filter, { cost: '40' });
  await expect(filter.getByTestId('supply-unit-cost')).toHaveText('5.00');
  await tab.remove(tab.rowDescribed('Engine oil'));
  await expect(tab.rows).toHaveCount(1);
});

test('planner: a plan goes Backlog → In progress → Done and becomes a service record', async ({ page }, info) => {
  const id = await newVehicle(page, 'Accord');
  const planner = new PlannerTab(page);
  await planner.open(id);
  await expect(planner.cards('backlog')).toHaveCount(0);

  // Inline validation, then a plan in Backlog.
  await page.getByTestId('add-plan').click();
  await planner.save();
  await expect(planner.fieldError('description')).toHaveText('Description is required');
  await planner.fill({ description: 'Replace brake pads', recordKind: 'service', priority: 'critical', cost: '120', notes: 'Front axle' });
  await planner.save();
  await expect(planner.dialog).toBeHidden();
  await expect(planner.notice).toHaveText('Plan added.');
  await planner.add({ description: 'Wax', priority: 'low', cost: '15', saveTemplate: true });
  await expect(planner.notice).toHaveText('Plan saved, and kept as a template.');

  const brakes = planner.card('Replace brake pads');
  await expect(planner.cards('backlog')).toHaveCount(2);
  await expect(brakes.getByTestId('plan-priority')).toHaveText('Critical');
  await expect(brakes.getByTestId('plan-kind')).toHaveText('Service');
  await expect(brakes.getByTestId('plan-cost')).toHaveText('120.00');
  await expect(brakes).toHaveAttribute('data-progress', 'backlog');

  await planner.moveTo(brakes, 'inProgress');
  await expect(planner.notice).toHaveText('Moved to In progress.');
  await expect(planner.cards('inProgress')).toHaveCount(1);
  await expect(brakes).toHaveAttribute('data-progress', 'inProgress');
  await expectNoHorizontalOverflow(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, info, 'tab-planner');

  // Done needs the odometer.
  await planner.moveTo(brakes, 'done');
  await expect(planner.dialog).toBeVisible();
  await planner.save();
  await expect(planner.fieldError('odometer')).toHaveText('Odometer is required');
  await planner.fill({ odometer: '12000' });
  await planner.save();
  await expect(planner.dialog).toBeHidden();
  await expect(planner.cards('done')).toHaveCount(1);
  await expect(page.getByTestId('plan-created-link')).toBeVisible();
  const link = brakes.getByTestId('plan-record-link');
  await expect(link).toHaveAttribute('href', `/vehicles/${id}/service`);
  // A done card can only be deleted.
  await expect(brakes.getByTestId('plan-move')).toHaveCount(0);
  await expect(brakes.getByTestId('plan-edit')).toHaveCount(0);
  await expect(brakes.getByTestId('plan-delete')).toBeVisible();
  await shot(page, info, 'tab-planner-done');

  // On a desktop a card can also be dragged to another column.
  if (info.project.name === 'desktop') {
    await planner.card('Wax').dragTo(planner.column('testing'));
    await expect(planner.notice).toHaveText('Moved to Testing.');
    await expect(planner.cards('testing')).toHaveCount(1);
  }

  // The template makes another Backlog plan.
  await page.getByTestId('template-use').click();
  await expect(planner.notice).toHaveText('Plan added to Backlog.');
  await expect(planner.card('Wax')).toHaveCount(2);

  await link.click();
  const service = new RecordsTab(page);
  await service.expectShown('service');
  await expect(page).toHaveURL(new RegExp(`/vehicles/${id}/service$`));
  const record = service.rows.filter({ hasText: 'Replace brake pads' });
  await expect(record.getByTestId('record-odometer')).toHaveText('12,000');
  await expect(record.getByTestId('record-cost')).toHaveText('120.00');
});
