import { expect, test, type Page } from '@playwright/test';

import { expectNoHorizontalOverflow, shot, signIn } from './support';

/** A JSON write through the browser's session (cookie plus its CSRF token). */
async function apiWrite(page: Page, path: string, data: unknown) {
  const me = await page.request.get('/api/v1/auth/me');
  expect(me.ok()).toBeTruthy();
  const { csrfToken } = await me.json();
  const response = await page.request.post(`/api/v1${path}`, {
    data,
    headers: { 'X-CSRF-Token': csrfToken },
  });
  expect(response.ok(), await response.text()).toBeTruthy();
  return response.json();
}

/** `YYYY-MM-DD` of the given local date parts (month 0-based, may overflow into the next year). */
function iso(year: number, month: number, day: number) {
  const d = new Date(year, month, day);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function title(year: number, month: number) {
  const d = new Date(year, month, 1);
  return `${d.toLocaleString('en-US', { month: 'long' })} ${d.getFullYear()}`;
}

test('calendar: reminders on their day, month by month, and a private feed URL', async ({ page, request }, info) => {
  await signIn(page);
  const phone = info.project.name === 'phone';
  const now = new Date();
  const [year, month] = [now.getFullYear(), now.getMonth()];
  const thisMonth = iso(year, month, 15);
  const nextMonth = iso(year, month + 1, 10);
  const tag = `${info.project.name}-${Date.now()}`;

  const vehicle = await apiWrite(page, '/vehicles', {
    year: 2019,
    make: 'Honda',
    model: `Jazz ${tag}`,
    licensePlate: 'CAL-19',
  });
  const brake = await apiWrite(page, `/vehicles/${vehicle.id}/reminders`, {
    description: `Brake fluid ${tag}`,
    metric: 'date',
    dueDate: thisMonth,
  });
  await apiWrite(page, `/vehicles/${vehicle.id}/reminders`, {
    description: `Registration ${tag}`,
    metric: 'date',
    dueDate: nextMonth,
  });
  await apiWrite(page, `/vehicles/${vehicle.id}/reminders`, {
    description: `Timing belt ${tag}`,
    metric: 'odometer',
    dueOdometer: 90000,
  });

  await page.goto('/calendar');
  await expect(page.getByTestId('calendar-title')).toHaveText(title(year, month));
  // The desktop shows the month grid, a phone the list of days.
  const grid = page.getByTestId('calendar-grid');
  const list = page.getByTestId('calendar-list');
  const view = phone ? list : grid;
  await expect(view).toBeVisible();
  await expect(phone ? grid : list).toBeHidden();
  const chips = phone ? 'calendar-item' : 'calendar-chip';
  const onDay = (date: string) => view.locator(`[data-date="${date}"]`).getByTestId(chips);

  const brakeChip = onDay(thisMonth).filter({ hasText: `Brake fluid ${tag}` });
  await expect(brakeChip).toHaveCount(1);
  await expect(brakeChip).toHaveAttribute('href', `/vehicles/${vehicle.id}/reminders?record=${brake.id}`);
  await expect(view.getByText(`Timing belt ${tag}`)).toHaveCount(0);
  await expect(view.getByText(`Registration ${tag}`)).toHaveCount(0);
  if (!phone) {
    // Today is marked, and weeks run Monday to Sunday.
    await expect(grid.locator('.cal-today')).toHaveAttribute('data-date', iso(year, month, now.getDate()));
    await expect(grid.locator('.cal-head')).toHaveText(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
  }
  await expectNoHorizontalOverflow(page);
  await shot(page, info, 'calendar');

  // Next month has the registration; two back shows neither; "Today" returns.
  await page.getByTestId('calendar-next').click();
  await expect(page.getByTestId('calendar-title')).toHaveText(title(year, month + 1));
  await expect(onDay(nextMonth).filter({ hasText: `Registration ${tag}` })).toHaveCount(1);
  await expect(view.getByText(`Brake fluid ${tag}`)).toHaveCount(0);
  await page.getByTestId('calendar-prev').click();
  await page.getByTestId('calendar-prev').click();
  await expect(page.getByTestId('calendar-title')).toHaveText(title(year, month - 1));
  await expect(view.getByText(tag)).toHaveCount(0);
  await page.getByTestId('calendar-today').click();
  await expect(page.getByTestId('calendar-title')).toHaveText(title(year, month));

  // The chip opens the reminder on its vehicle's page.
  await brakeChip.click();
  await expect(page).toHaveURL(new RegExp(`/vehicles/${vehicle.id}/reminders\\?record=${brake.id}$`));

  // The feed: created once with its full URL, fetched without any cookie.
  await page.goto('/calendar');
  const panel = page.getByTestId('calendar-feed');
  await expect(panel.getByTestId('calendar-feed-status')).toHaveText('No feed URL yet.');
  await panel.getByTestId('calendar-feed-create').click();
  const secretBox = page.getByTestId('calendar-feed-url');
  await expect(secretBox).toBeVisible();
  const url = await secretBox.inputValue();
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/calendar\/feed\/[0-9a-f]{64}\.ics$/);
  await expect(page.getByTestId('calendar-feed-url-box')).toContainText('keep it secret');
  const feed = await request.get(url);
  expect(feed.status()).toBe(200);
  expect(feed.headers()['content-type']).toContain('text/calendar');
  // Long content lines are folded (CRLF + space, RFC 5545 §3.1): unfold before reading.
  const ics = (await feed.text()).replace(/\r\n /g, '');
  expect(ics).toContain('BEGIN:VEVENT');
  expect(ics).toContain(`Brake fluid ${tag}`);
  expect(ics).toContain(`Registration ${tag}`);
  expect(ics).not.toContain(`Timing belt ${tag}`);
  await page.getByTestId('calendar-feed-url-done').click();
  await expect(secretBox).toHaveCount(0);
  await expect(panel.getByTestId('calendar-feed-status')).toContainText('A feed URL is active since');

  // A new URL kills the old one.
  await panel.getByTestId('calendar-feed-rotate').click();
  await page.getByTestId('confirm-delete').click();
  await expect(secretBox).toBeVisible();
  const rotated = await secretBox.inputValue();
  expect(rotated).not.toBe(url);
  expect((await request.get(url)).status()).toBe(404);
  expect((await request.get(rotated)).status()).toBe(200);

  // Revoked: 404.
  await panel.getByTestId('calendar-feed-revoke').click();
  await page.getByTestId('confirm-delete').click();
  await expect(page.getByTestId('notice')).toHaveText('Feed URL revoked.');
  await expect(secretBox).toHaveCount(0);
  await expect(panel.getByTestId('calendar-feed-status')).toHaveText('No feed URL yet.');
  expect((await request.get(rotated)).status()).toBe(404);
});
