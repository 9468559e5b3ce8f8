import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';

import { VehicleFormPage } from '../pages/vehicle-form';
import { VehiclePage } from '../pages/vehicle';
import { signIn } from './support';

// A Fuelly export: price per gallon and no cost (cost = price × gallons), a partial fill, a row
// without fuel (skipped), and LubeLogger's "$" costs are covered by the server tests.
const FUELLY = [
  'car_name,odometer,gallons,price,fuelup_date,notes,missed_fuelup,partial_fuelup',
  'Civic,12000,10,3.00,2024-02-01,First,0,0',
  'Civic,12300,5,3.00,2024-02-08,Half,0,1',
  'Civic,12500,0,0,2024-02-10,No fuel,0,0',
  'Civic,12900,10,3.20,2024-02-15,,0,0',
  '',
].join('\n');

test('a fuel CSV is previewed, imported and exported again', async ({ page }) => {
  const garage = await signIn(page);
  await garage.startAddingVehicle();
  const id = await new VehicleFormPage(page).save({ year: '2020', make: 'Honda', model: 'Import', fuelType: 'gasoline' });
  const vehicle = new VehiclePage(page);
  await vehicle.expectLoaded();
  await expect(page.getByTestId('fuel-empty')).toBeVisible();

  // A file with a bad line first: the preview names the line and nothing can be imported.
  await page.getByTestId('csv-import').click();
  const dialog = page.getByTestId('csv-import-dialog');
  await expect(dialog).toBeVisible();
  const bad = FUELLY.replace('12300,5,', '12300,five,');
  await dialog.getByTestId('csv-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await expect(dialog.getByTestId('csv-errors')).toContainText('Line 3: fuelConsumed `five` is not a number');
  await expect(dialog.getByTestId('csv-confirm')).toBeDisabled();

  // The good file: three rows, the fuel-less line 4 skipped.
  await dialog.getByTestId('csv-file').setInputFiles({ name: 'fuelly.csv', mimeType: 'text/csv', buffer: Buffer.from(FUELLY) });
  await expect(dialog.getByTestId('csv-summary')).toHaveText('3 rows ready to import.');
  await expect(dialog.getByTestId('csv-skipped')).toHaveText('Skipped (no fuel): line 4.');
  await expect(dialog.getByTestId('csv-errors')).toHaveCount(0);
  const rows = dialog.getByTestId('csv-preview-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText('2024-02-01');
  // 10 gal × $3.20
  await expect(rows.nth(2)).toContainText('32');
  await expect(dialog.getByTestId('csv-confirm')).toHaveText('Import 3 rows');
  await dialog.getByTestId('csv-confirm').click();
  await expect(dialog.getByTestId('csv-imported')).toHaveText('3 records imported.');
  await dialog.getByRole('button', { name: 'Close' }).first().click();
  await expect(dialog).toBeHidden();

  // The rows are in the tab, newest first.
  await expect(page.getByTestId('fuel-row')).toHaveCount(3);
  await expect(vehicle.row(0).getByTestId('fuel-date')).toHaveText('Feb 15, 2024');
  await expect(vehicle.row(2).getByTestId('fuel-date')).toHaveText('Feb 1, 2024');

  // Export: the downloaded file holds them in LubeLogger's columns.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv-export').click()]);
  const path = await download.path();
  const text = fs.readFileSync(path, 'utf8');
  const lines = text.trim().split('\n');
  expect(lines[0]).toBe('Date,Odometer,FuelConsumed,Cost,FuelEconomy,IsFillToFull,MissedFuelUp,Notes,Tags');
  expect(lines).toHaveLength(4);
  expect(lines[1]).toBe('2/1/2024,12000,10,30,,True,False,First,');
  expect(lines[2]).toBe('2/8/2024,12300,5,15,,False,False,Half,');
  // (300 + 600) / (5 + 10) = 60 mpg across the partial fill.
  expect(lines[3]).toBe('2/15/2024,12900,10,32,60,True,False,,');
  expect(id).toBeGreaterThan(0);
});
