import { expect, test } from '@playwright/test';

import { VehicleFormPage } from '../pages/vehicle-form';
import { VehiclePage } from '../pages/vehicle';
import { signIn } from './support';

test('a vehicle can be edited, then deleted after confirmation', async ({ page }) => {
  const garage = await signIn(page);
  const form = new VehicleFormPage(page);
  const vehicle = new VehiclePage(page);

  await garage.startAddingVehicle();
  const id = await form.save({ year: '2012', make: 'Ford', model: 'Focus', plate: 'OLD 1', fuelType: 'diesel' });
  await vehicle.expectLoaded();
  await expect(page.getByTestId('flash')).toHaveText('Vehicle added.');

  await vehicle.openEdit();
  // The confirmation belonged to the page it was shown on.
  await expect(page.getByTestId('flash')).toHaveCount(0);
  await expect(page.getByTestId('vehicle-model')).toHaveValue('Focus');
  await expect(page.getByTestId('vehicle-fuel-type')).toHaveValue('diesel');
  await form.fill({ model: 'Focus ST', plate: 'NEW 2', soldDate: '2011-01-01', purchaseDate: '2012-01-01' });
  await form.submit();
  // Sold before bought: the shared rule refuses it inline.
  await expect(form.fieldError('soldDate')).toHaveText('Sold date must not be before the purchase date');
  await form.fill({ soldDate: '' });
  await form.submit();
  await expect(page).toHaveURL(new RegExp(`/vehicles/${id}$`));
  await expect(vehicle.heading).toHaveText('2012 Ford Focus ST');
  await expect(page.getByTestId('vehicle-plate')).toHaveText('NEW 2');
  await expect(page.getByTestId('flash')).toHaveText('Vehicle saved.');

  // Delete asks first; cancelling keeps the vehicle.
  await vehicle.openEdit();
  await page.getByTestId('vehicle-delete').click();
  const confirm = page.getByTestId('confirm-dialog');
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await form.deleteVehicle();
  await garage.expectShown();
  await expect(page.getByTestId('flash')).toHaveText('Vehicle deleted.');
  await expect(garage.card('2012 Ford Focus ST')).toHaveCount(0);

  // Its page is gone too.
  await page.goto(`/vehicles/${id}`);
  await expect(page.getByTestId('not-found')).toBeVisible();
});
