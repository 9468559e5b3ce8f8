import { expect, test } from '@playwright/test';

import { SettingsPage } from '../pages/settings';
import { VehicleFormPage } from '../pages/vehicle-form';
import { signIn } from './support';

test('the user chooses which vehicle tabs show and in what order', async ({ page }) => {
  const garage = await signIn(page);
  const form = new VehicleFormPage(page);
  const settings = new SettingsPage(page);

  await garage.startAddingVehicle();
  const id = await form.save({ year: '2020', make: 'Subaru', model: 'Outback', fuelType: 'gasoline' });
  await expect(page.getByTestId('tab-tax')).toBeAttached();

  try {
    await settings.goto();
    await settings.setTabShown('tax', false);
    await settings.moveTabUp('service');
    await settings.save();

    await page.goto(`/vehicles/${id}`);
    // The tab bar is rendered once the vehicle has loaded; read it only then.
    await expect(page.getByTestId('tab-service')).toBeVisible();
    await expect(page.getByTestId('tab-tax')).toHaveCount(0);
    const order = await page.locator('.tabs .tab').evaluateAll((tabs) =>
      tabs.map((t) => t.getAttribute('data-testid')),
    );
    expect(order.slice(0, 2)).toEqual(['tab-service', 'tab-fuel']);
  } finally {
    // Back to the default set and order for the tests that follow.
    await settings.goto();
    await settings.setTabShown('tax', true);
    await settings.moveTabUp('fuel');
    await settings.save();
  }
});
