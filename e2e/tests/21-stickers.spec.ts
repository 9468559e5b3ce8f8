import { expect, test, type Page } from '@playwright/test';

import { shot, signIn } from './support';

// Printable record stickers with QR codes, and the deep links they encode (issue 8):
// `/vehicles/{id}/{tab}?record={recordId}` opens a record, `/vehicles/{id}?add=1` the add
// fill-up dialog. Each test signs in as a user of its own, so other specs' settings (units,
// language) do not apply.

const PASSWORD = 'stickers-passphrase-42';
const suffix = Date.now().toString(36);
let users = 0;

async function csrf(page: Page): Promise<string> {
  const me = await page.request.get('/api/v1/auth/me');
  expect(me.ok()).toBeTruthy();
  return (await me.json()).csrfToken;
}

async function api(page: Page, method: 'POST' | 'PUT', path: string, data: unknown) {
  const response = await page.request.fetch(`/api/v1${path}`, {
    method,
    data,
    headers: { 'X-CSRF-Token': await csrf(page) },
  });
  expect(response.ok(), `${path}: ${await response.text()}`).toBeTruthy();
  return response.json();
}

interface Garage {
  vehicle: number;
  oil: number;
  brakes: number;
  fillUp: number;
}

/** A new user with a Honda: two service records and one fill-up. Signed in as that user. */
async function honda(page: Page): Promise<Garage> {
  await signIn(page);
  users += 1;
  const username = `stickers-${suffix}-${users}`;
  await api(page, 'POST', '/users', { username, password: PASSWORD, email: `${username}@example.com` });
  const login = await page.request.post('/api/v1/auth/login', { data: { username, password: PASSWORD } });
  expect(login.status()).toBe(200);
  const vehicle = (await api(page, 'POST', '/vehicles', { year: 2018, make: 'Honda', model: 'Civic', licensePlate: 'QR-808' })).id;
  const v = `/vehicles/${vehicle}`;
  const oil = (await api(page, 'POST', `${v}/service-records`, { date: '2024-03-01', odometer: 12000, description: 'Oil change', cost: 89.9 })).id;
  const brakes = (await api(page, 'POST', `${v}/service-records`, { date: '2024-05-10', odometer: 14000, description: 'Brake pads', cost: 120 })).id;
  const fillUp = (await api(page, 'POST', `${v}/fuel-records`, { date: '2024-04-01', odometer: 13000, fuelConsumed: 40, cost: 60, isFillToFull: true })).id;
  return { vehicle, oil, brakes, fillUp };
}

/** The deep link a sticker's QR image encodes (its `target` query value). */
async function targetOf(page: Page, testid: string, index = 0): Promise<string | null> {
  const src = await page.getByTestId(testid).nth(index).getAttribute('src');
  expect(src).toMatch(/^\/api\/v1\/vehicles\/\d+\/stickers\/qr\.svg\?target=/);
  return new URL(src ?? '', 'http://x').searchParams.get('target');
}

test('stickers of a bulk selection: records, QR codes that load, and a clean print', async ({ page }, info) => {
  const { vehicle, oil, brakes } = await honda(page);

  // Tick the oil change on the service tab and print stickers for it.
  await page.goto(`/vehicles/${vehicle}/service`);
  const oilRow = page.locator(`tr[data-record-id="${oil}"]`);
  await oilRow.getByTestId('record-select').check();
  await page.getByTestId('bulk-stickers').click();
  await expect(page).toHaveURL(new RegExp(`/vehicles/${vehicle}/stickers\\?tab=service&ids=${oil}$`));

  const stickers = page.getByTestId('sticker');
  await expect(stickers).toHaveCount(1);
  await expect(page.getByTestId('stickers-chosen')).toContainText('1 chosen record');
  const sticker = stickers.first();
  await expect(sticker).toContainText('2018 Honda Civic');
  await expect(sticker).toContainText('Service');
  await expect(sticker.getByTestId('sticker-date')).toHaveText('Mar 1, 2024');
  await expect(sticker.getByTestId('sticker-description')).toHaveText('Oil change');
  await expect(sticker.getByTestId('sticker-odometer')).toHaveText('12,000 mi');
  await expect(sticker.getByTestId('sticker-cost')).toHaveText('89.90');
  await expect(page.getByTestId('sticker-add')).toContainText('Add fill-up');

  // The QR codes point at the record's deep link and the add fill-up form.
  expect(await targetOf(page, 'sticker-qr', 1)).toBe(`/vehicles/${vehicle}/service?record=${oil}`);
  expect(await targetOf(page, 'sticker-qr', 0)).toBe(`/vehicles/${vehicle}?add=1`);
  const qrs = page.getByTestId('sticker-qr');
  await expect(qrs).toHaveCount(2);
  for (const qr of await qrs.all()) {
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  }
  const svg = await page.request.get((await qrs.nth(1).getAttribute('src')) ?? '');
  expect(svg.status()).toBe(200);
  expect(svg.headers()['content-type']).toBe('image/svg+xml');
  expect(await svg.text()).toContain('<svg');

  // The add sticker can be left out.
  await page.getByTestId('stickers-with-add').uncheck();
  await expect(page.getByTestId('sticker-add')).toHaveCount(0);
  await page.getByTestId('stickers-with-add').check();

  // All of the tab: newest first.
  await page.getByTestId('stickers-chosen').getByRole('link').click();
  await expect(stickers).toHaveCount(2);
  await expect(stickers.getByTestId('sticker-description')).toHaveText(['Brake pads', 'Oil change']);
  expect(await targetOf(page, 'sticker-qr', 1)).toBe(`/vehicles/${vehicle}/service?record=${brakes}`);
  await shot(page, info, 'stickers');

  // Printed: the stickers only, no top bar or controls.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('stickers-controls')).toBeHidden();
  await expect(page.locator('.topbar')).toBeHidden();
  await expect(stickers.first()).toBeVisible();
  await expect(page.getByTestId('sticker-add')).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
  await expect(page.getByTestId('stickers-print')).toBeVisible();

  // Other tabs: the fuel tab's stickers, reached from its toolbar.
  await page.goto(`/vehicles/${vehicle}`);
  await page.getByTestId('stickers-link').click();
  await expect(page).toHaveURL(new RegExp(`/vehicles/${vehicle}/stickers\\?tab=fuel$`));
  await expect(stickers).toHaveCount(1);
  await expect(stickers.first().getByTestId('sticker-description')).toHaveText('40 gal');
  await page.getByTestId('stickers-tab-tax').click();
  await expect(page.getByTestId('stickers-empty')).toBeVisible();
});

test('deep links open the add fill-up dialog and the linked record', async ({ page }) => {
  const { vehicle, oil, fillUp } = await honda(page);

  // The "Add fill-up" sticker's link, with and without the tab segment.
  await page.goto(`/vehicles/${vehicle}?add=1`);
  const fuelDialog = page.getByTestId('fuel-dialog');
  await expect(fuelDialog).toBeVisible();
  await expect(fuelDialog).toContainText('Add fill-up');
  await page.goto(`/vehicles/${vehicle}/fuel?add=1`);
  await expect(fuelDialog).toBeVisible();

  // A fill-up's sticker opens it for editing.
  await page.goto(`/vehicles/${vehicle}?record=${fillUp}`);
  await expect(fuelDialog).toBeVisible();
  await expect(fuelDialog.getByTestId('fuel-odometer-input')).toHaveValue('13000');
  await expect(page.locator(`tr[data-record-id="${fillUp}"]`)).toHaveAttribute('data-linked', '');

  // A service record's sticker: its dialog opens and its row is marked.
  await page.goto(`/vehicles/${vehicle}/service?record=${oil}`);
  const dialog = page.getByTestId('record-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('description-input')).toHaveValue('Oil change');
  await expect(page.locator(`tr[data-record-id="${oil}"]`)).toHaveAttribute('data-linked', '');

  // `?add=1` on a record tab opens its add dialog; an unknown record opens nothing.
  await page.goto(`/vehicles/${vehicle}/service?add=1`);
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('description-input')).toHaveValue('');
  await page.goto(`/vehicles/${vehicle}/service?record=999999`);
  await expect(page.getByTestId('record-row')).toHaveCount(2);
  await expect(dialog).toBeHidden();
});
