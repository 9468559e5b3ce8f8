import { expect, test } from '@playwright/test';

import { VehicleFormPage } from '../pages/vehicle-form';
import { VehiclePage } from '../pages/vehicle';
import { shot, signIn } from './support';

test('an empty make is refused inline and nothing is saved', async ({ page }, info) => {
  const garage = await signIn(page);
  const before = await garage.cards.count();
  const form = new VehicleFormPage(page);

  await garage.startAddingVehicle();
  await form.fill({ year: '2020', make: '', model: 'Corolla' });
  await form.submit();
  await expect(form.fieldError('make')).toHaveText('Make is required');
  await expect(form.fieldError('model')).toHaveCount(0);
  await expect(page).toHaveURL(/\/vehicles\/new$/);
  await shot(page, info, 'vehicle-form-error');

  await garage.goto();
  await expect(garage.cards).toHaveCount(before);
});

test('a negative odometer is refused inline and no fill-up is saved', async ({ page }, info) => {
  const garage = await signIn(page);
  const form = new VehicleFormPage(page);
  const vehicle = new VehiclePage(page);

  await garage.startAddingVehicle();
  await form.save({ year: '2015', make: 'Toyota', model: 'Corolla', fuelType: 'gasoline' });
  await vehicle.expectLoaded();

  await vehicle.openAddDialog();
  await vehicle.fillDialog({ date: '2024-03-01', odometer: '-5', amount: '10', cost: '' });
  await vehicle.submitDialog();
  await expect(vehicle.fieldError('odometer')).toHaveText('Odometer must be between 0 and 99999999');
  await expect(vehicle.fieldError('cost')).toHaveText('Total cost is required');
  await expect(vehicle.dialog).toBeVisible();
  await shot(page, info, 'fuel-dialog-error', false);
  await vehicle.cancelDialog();

  await page.reload();
  await vehicle.expectLoaded();
  await expect(page.getByTestId('fuel-empty')).toBeVisible();
  await expect(vehicle.rows).toHaveCount(0);
});
