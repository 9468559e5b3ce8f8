import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';

import { SuppliesTab } from '../pages/supplies';
import { VehicleFormPage } from '../pages/vehicle-form';
import { VehiclePage } from '../pages/vehicle';
import { signIn } from './support';

// Shop supplies (no vehicle) have their own Export/Import CSV under "Shop supplies" on the
// supplies tab: the same preview and confirmation as a vehicle's file.

test('shop supplies are imported from a CSV file and exported again', async ({ page }, info) => {
  const suffix = `${info.project.name}-${Date.now().toString(36)}`;
  const garage = await signIn(page);
  await garage.startAddingVehicle();
  await new VehicleFormPage(page).save({ year: '2020', make: 'Honda', model: 'Shop', fuelType: 'gasoline' });
  await new VehiclePage(page).expectLoaded();
  const tab = new SuppliesTab(page);
  await tab.switchTo();
  const shop = tab.shopSection;
  await expect(shop).toBeVisible();

  const file = [
    'Date,PartNumber,PartSupplier,PartQuantity,Description,Notes,Cost,Tags',
    `3/1/2024,RG-1,Acme,50,Rags ${suffix},,$12.50,`,
    `3/2/2024,,,4,Gloves ${suffix},box,"$1,020.00",`,
    '',
  ].join('\n');
  await shop.getByTestId('csv-import').click();
  const dialog = page.getByTestId('csv-import-dialog');
  await dialog.getByTestId('csv-file').setInputFiles({ name: 'shop.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
  await expect(dialog.getByTestId('csv-summary')).toHaveText('2 rows ready to import.');
  await expect(dialog.getByTestId('csv-preview-row')).toHaveCount(2);
  await dialog.getByTestId('csv-confirm').click();
  await expect(dialog.getByTestId('csv-imported')).toHaveText('2 records imported.');
  await dialog.getByRole('button', { name: 'Close' }).first().click();
  await expect(dialog).toBeHidden();

  // In the shop's list, not the vehicle's.
  await expect(shop.getByTestId('supply-description').filter({ hasText: `Rags ${suffix}` })).toBeVisible();
  await expect(tab.section.getByTestId('supplies-empty')).toBeVisible();

  const [download] = await Promise.all([page.waitForEvent('download'), shop.getByTestId('csv-export').click()]);
  expect(download.suggestedFilename()).toBe('shop-supplies.csv');
  const lines = fs.readFileSync(await download.path(), 'utf8').trim().split('\n');
  expect(lines[0]).toBe('Date,PartNumber,PartSupplier,PartQuantity,Description,Notes,Cost,Tags');
  expect(lines).toContain(`3/1/2024,RG-1,Acme,50,Rags ${suffix},,$12.50,`);
  expect(lines).toContain(`3/2/2024,,,4,Gloves ${suffix},box,"$1,020.00",`);
});
