import { expect, test } from '@playwright/test';

import { AppHeader } from '../pages/header';
import { GaragePage } from '../pages/garage';
import { LoginPage } from '../pages/login';
import { SetupPage } from '../pages/setup';
import { VehicleFormPage } from '../pages/vehicle-form';
import { VehiclePage } from '../pages/vehicle';
import { ADMIN, darkShot, expectNoHorizontalOverflow, shot } from './support';

test('first run, sign-in, a vehicle and its fill-ups with fuel economy', async ({ page }, info) => {
  const header = new AppHeader(page);
  const setup = new SetupPage(page);
  const login = new LoginPage(page);
  const garage = new GaragePage(page);
  const form = new VehicleFormPage(page);
  const vehicle = new VehiclePage(page);

  // First run: any address leads to setup.
  await page.goto('/');
  await setup.expectShown();
  await expect(header.brand).toHaveText('MotoVaultPro');
  await setup.createAccount(ADMIN.username, ADMIN.password, ADMIN.email);
  await garage.expectShown();
  await header.expectSignedInAs(ADMIN.username);
  await expect(garage.emptyState).toBeVisible();
  await shot(page, info, 'garage-empty');

  // Log out, then a wrong password, then the right one.
  await header.logout();
  await login.expectShown();
  await login.signIn(ADMIN.username, 'not-the-password');
  await expect(login.alert).toContainText('Wrong username or password');
  await login.signIn(ADMIN.username, ADMIN.password);
  await garage.expectShown();

  // Add a vehicle.
  await garage.startAddingVehicle();
  const id = await form.save({
    year: '2019',
    make: 'Honda',
    model: 'Civic',
    plate: 'MVP 2024',
    fuelType: 'gasoline',
    purchaseDate: '2019-06-01',
    purchasePrice: '18500',
    tags: 'daily commuter',
  });
  expect(id).toBeGreaterThan(0);
  await vehicle.expectLoaded();
  await expect(vehicle.heading).toHaveText('2019 Honda Civic');
  await expect(page.getByTestId('fuel-empty')).toBeVisible();

  // Three fill-ups, the middle one partial.
  await vehicle.addFillUp({ date: '2024-01-01', odometer: '1000', amount: '10', cost: '30' });
  await vehicle.addFillUp({ date: '2024-01-10', odometer: '1300', amount: '5', cost: '15', full: false, notes: 'Half tank' });
  await vehicle.addFillUp({ date: '2024-01-20', odometer: '1600', amount: '10', cost: '30', tags: 'highway' });

  // Newest first: (300 + 300) / (5 + 10) = 40.00 mpg for the last; none for the partial and the first.
  const [last, partial, first] = [vehicle.row(0), vehicle.row(1), vehicle.row(2)];
  await expect(last.getByTestId('fuel-date')).toHaveText('Jan 20, 2024');
  await expect(vehicle.economyOf(last)).toHaveText('40.00');
  await expect(last.getByTestId('fuel-distance')).toHaveText('300');
  await expect(last.getByTestId('fuel-cpu')).toHaveText('3.00');
  await expect(vehicle.economyOf(partial)).toHaveText('—');
  await expect(partial.getByTestId('flag-partial')).toBeVisible();
  await expect(vehicle.economyOf(first)).toHaveText('—');
  await expect(vehicle.averageEconomy).toHaveText('40.00');
  await expect(vehicle.economyUnit).toHaveText('mpg');
  await expect(vehicle.totalCost).toHaveText('75.00');
  await expect(vehicle.totalFuel).toHaveText('25');
  await expect(vehicle.chart).toBeVisible();
  await expect(vehicle.chartPoints).toHaveCount(1);
  await expectNoHorizontalOverflow(page);
  await shot(page, info, 'vehicle');
  await darkShot(page, info, 'vehicle-dark');

  // Edit the last fill-up: 600 / (5 + 12) = 35.29.
  await vehicle.editFillUp(0, { amount: '12', cost: '36' });
  await expect(vehicle.economyOf(vehicle.row(0))).toHaveText('35.29');
  await expect(vehicle.averageEconomy).toHaveText('35.29');
  await expect(vehicle.totalCost).toHaveText('81.00');

  // Delete the partial one: 600 / 12 = 50.00.
  await vehicle.deleteFillUp(1);
  await expect(vehicle.economyOf(vehicle.row(0))).toHaveText('50.00');
  await expect(vehicle.averageEconomy).toHaveText('50.00');
  await expect(vehicle.chartPoints).toHaveCount(1);
  await expect(vehicle.chart.locator('path.line')).toHaveCount(1);
  await expect(vehicle.chartPoints.first().locator('title')).toHaveText('Jan 20, 2024: 50.00 mpg');

  // A deep link reloads into the same page.
  await page.reload();
  await expect(page).toHaveURL(new RegExp(`/vehicles/${id}$`));
  await vehicle.expectLoaded();
  await expect(vehicle.heading).toHaveText('2019 Honda Civic');
  await expect(vehicle.rows).toHaveCount(2);
  await expect(vehicle.averageEconomy).toHaveText('50.00');

  // The garage card shows the current odometer.
  await header.openGarage();
  const card = garage.card('2019 Honda Civic');
  await expect(card).toHaveCount(1);
  await expect(card.getByTestId('vehicle-odometer')).toHaveText('1,600 mi');
  await expect(card.getByTestId('vehicle-plate')).toHaveText('MVP 2024');
  await expectNoHorizontalOverflow(page);
  await shot(page, info, 'garage');

  // Logging out returns to the login page, and the garage is no longer reachable.
  await header.logout();
  await login.expectShown();
  await page.goto(`/vehicles/${id}`);
  await login.expectShown();
});
