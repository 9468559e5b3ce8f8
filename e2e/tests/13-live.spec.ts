import { expect, request, test } from '@playwright/test';

import { ADMIN, signIn } from './support';

/**
 * Live refresh: a change made elsewhere (another signed-in client, through the API) shows up on
 * the open page without a reload — the garage, and the page of the vehicle that changed.
 */
test('changes made elsewhere appear on open pages without a reload', async ({ page, baseURL }) => {
  const garage = await signIn(page);

  // A second client with its own session, as another browser or device would be.
  const other = await request.newContext({ baseURL });
  const login = await other.post('/api/v1/auth/login', {
    data: { username: ADMIN.username, password: ADMIN.password },
  });
  expect(login.status()).toBe(200);
  const csrf = (await login.json()).csrfToken as string;
  const headers = { 'x-csrf-token': csrf };

  const make = `Live${Date.now() % 100000}`;
  const created = await other.post('/api/v1/vehicles', {
    headers,
    data: { year: 2020, make, model: 'Streamer', licensePlate: 'LIVE-1' },
  });
  expect(created.status()).toBe(201);
  const vehicle = (await created.json()).id as number;
  // The garage shows it without navigation or reload.
  await expect(garage.card(make)).toBeVisible({ timeout: 10_000 });

  // On the vehicle's page, a rename elsewhere is shown in place.
  await page.goto(`/vehicles/${vehicle}`);
  await expect(page.getByTestId('vehicle-heading')).toContainText(make);
  const renamed = await other.put(`/api/v1/vehicles/${vehicle}`, {
    headers,
    data: { year: 2020, make: `${make}X`, model: 'Streamer', licensePlate: 'LIVE-1' },
  });
  expect(renamed.status()).toBe(200);
  await expect(page.getByTestId('vehicle-heading')).toContainText(`${make}X`, { timeout: 10_000 });

  await other.dispose();
});
