import { expect, test } from '@playwright/test';

import { SettingsPage } from '../pages/settings';
import { VehicleFormPage } from '../pages/vehicle-form';
import { VehiclePage } from '../pages/vehicle';
import { signIn } from './support';

test('switching to metric shows economy in L/100km', async ({ page }) => {
  const garage = await signIn(page);
  const form = new VehicleFormPage(page);
  const vehicle = new VehiclePage(page);
  const settings = new SettingsPage(page);

  await garage.startAddingVehicle();
  const id = await form.save({ year: '2021', make: 'Mazda', model: '3', fuelType: 'gasoline' });
  await vehicle.addFillUp({ date: '2024-02-01', odometer: '10000', amount: '10', cost: '20' });
  await vehicle.addFillUp({ date: '2024-02-15', odometer: '10300', amount: '10', cost: '20' });
  await expect(vehicle.economyUnit).toHaveText('mpg');
  await expect(vehicle.averageEconomy).toHaveText('30.00');

  try {
    await settings.goto();
    await settings.chooseUnits('metric');
    await vehicle.goto(id);
    // 10 L over 300 km: 3.33 L/100km.
    await expect(vehicle.economyUnit).toHaveText('L/100km');
    await expect(vehicle.averageEconomy).toHaveText('3.33');
    await expect(vehicle.economyOf(vehicle.row(0))).toHaveText('3.33');
    await expect(page.getByRole('columnheader', { name: 'Economy (L/100km)' })).toBeAttached();
  } finally {
    await settings.goto();
    await settings.chooseUnits('imperial');
  }
});
