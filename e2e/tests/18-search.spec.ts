import { expect, test } from '@playwright/test';

import { RecordsTab } from '../pages/records';
import { VehicleFormPage } from '../pages/vehicle-form';
import { VehiclePage } from '../pages/vehicle';
import { expectNoHorizontalOverflow, shot, signIn } from './support';

test('top-bar search finds a record and opens its tab; a tab filters its own rows', async ({ page }, info) => {
  const garage = await signIn(page);
  await garage.startAddingVehicle();
  const id = await new VehicleFormPage(page).save({ year: '2019', make: 'Subaru', model: 'Outback', fuelType: 'gasoline' });
  await new VehiclePage(page).expectLoaded();
  const tab = new RecordsTab(page);
  await tab.switchTo('service');
  await tab.add({ date: '2024-04-02', description: 'Timing belt', odometer: '60000', cost: '450', notes: 'Gates kit PN-T328' });
  await tab.add({ date: '2024-05-02', description: 'Wiper blades', odometer: '61000', cost: '30' });

  // The tab's filter hides the rows without the text, and shows them again when cleared.
  const visibleRows = page.locator('[data-testid="record-row"]:visible');
  await page.getByTestId('tab-filter').fill('WIPER');
  await expect(visibleRows).toHaveCount(1);
  await expect(visibleRows).toContainText('Wiper blades');
  await page.getByTestId('tab-filter').fill('');
  await expect(visibleRows).toHaveCount(2);

  // The top bar searches every vehicle, case-insensitively, part numbers in notes included.
  const box = page.getByTestId('top-search');
  await box.fill('pn-t328');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/search\?q=pn-t328$/);
  const results = page.getByTestId('search-result');
  await expect(results).toHaveCount(1);
  await expect(results.first()).toContainText('Timing belt');
  await expect(results.first()).toContainText('PN-T328');
  await expect(page.getByTestId('search-results')).toContainText('2019 Subaru Outback');
  await expectNoHorizontalOverflow(page);
  await shot(page, info, 'search');

  // A result opens the record's tab.
  await results.first().click();
  await expect(page).toHaveURL(new RegExp(`/vehicles/${id}/service\\?record=\\d+$`));
  await expect(tab.tabLink('service')).toHaveAttribute('aria-current', 'page');

  // Nothing found; too short to search.
  await box.fill('no such record anywhere');
  await box.press('Enter');
  await expect(page.getByTestId('search-empty')).toBeVisible();
  await box.fill('x');
  await box.press('Enter');
  await expect(page.getByTestId('search-hint')).toBeVisible();
});

test('search finds a shop supply for any vehicle and opens it on the Supplies tab', async ({ page }) => {
  const garage = await signIn(page);
  await garage.startAddingVehicle();
  await new VehicleFormPage(page).save({ year: '2020', make: 'Volvo', model: 'V60', fuelType: 'diesel' });
  await new VehiclePage(page).expectLoaded();
  // The signed-in user is the root account, who may add to the shop's supplies.
  const shopId = await page.evaluate(async () => {
    const me = await (await fetch('/api/v1/auth/me')).json();
    const r = await fetch('/api/v1/shop/supplies', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken },
      body: JSON.stringify({ date: '2024-06-01', description: 'Brake cleaner spray', partNumber: 'SHOP-BC-77',
        supplier: 'Garage wholesale', quantity: 6, cost: 30 }),
    });
    return (await r.json()).id as number;
  });

  const box = page.getByTestId('top-search');
  await box.fill('shop-bc-77');
  await box.press('Enter');
  const group = page.getByTestId('search-group-shop');
  await expect(group.getByRole('heading')).toHaveText('Shop supplies');
  await expect(group.getByTestId('search-result')).toHaveCount(1);
  await expect(group.getByTestId('search-result')).toContainText('Brake cleaner spray');
  await expectNoHorizontalOverflow(page);

  // It opens on a vehicle's Supplies tab, which lists the shop's supplies, marked.
  await group.getByTestId('search-result').click();
  await expect(page).toHaveURL(new RegExp(`/vehicles/\\d+/supplies\\?record=${shopId}$`));
  await expect(page.getByTestId('shop-supplies').locator(`tr[data-record-id="${shopId}"]`)).toHaveAttribute('data-linked', '');
});
