import { expect, test, type CDPSession, type Page } from '@playwright/test';
import * as fs from 'node:fs';

import { RecordsTab } from '../pages/records';
import { VehicleFormPage } from '../pages/vehicle-form';
import { VehiclePage } from '../pages/vehicle';
import { signIn } from './support';

// Long operations show progress and every action confirms: a CSV upload's bar (throttled so
// the bytes can be seen going up), the backup download's bytes and the saved file, a bulk
// edit's busy bar and its count.

async function newVehicle(page: Page, model: string) {
  const garage = await signIn(page);
  await garage.startAddingVehicle();
  const id = await new VehicleFormPage(page).save({ year: '2019', make: 'Mazda', model, fuelType: 'gasoline' });
  await new VehiclePage(page).expectLoaded();
  return id;
}

/** Slows the page's network down (bytes per second; -1 = unthrottled) through DevTools. */
async function throttle(cdp: CDPSession, upload: number, download: number, latency = 0) {
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency,
    uploadThroughput: upload,
    downloadThroughput: download,
  });
}

/** The `aria-valuenow` values the page's progress bars take, recorded as they change. */
async function recordProgress(page: Page) {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __progress: string[] }).__progress = seen;
    new MutationObserver(() => {
      document.querySelectorAll('[role="progressbar"]').forEach((bar) => {
        const now = bar.getAttribute('aria-valuenow');
        if (now !== null && seen[seen.length - 1] !== now) seen.push(now);
      });
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
}

async function progressSeen(page: Page): Promise<number[]> {
  return (await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress)).map(Number);
}

/** A service-record CSV of `rows` lines, each with a long note (about 1 KB a line). */
function serviceCsv(rows: number) {
  const note = 'Checked and noted. '.repeat(50);
  const lines = ['Date,Description,Cost,Notes,Odometer,Tags'];
  for (let i = 0; i < rows; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    lines.push(`2023-03-${day},Service ${i + 1},${10 + (i % 7)},${note},${10000 + i * 10},bulk`);
  }
  return lines.join('\n') + '\n';
}

test('a CSV upload shows its bytes going up, then the result', async ({ page }) => {
  const id = await newVehicle(page, 'Upload');
  const tab = new RecordsTab(page);
  await tab.open(id, 'service');

  const csv = serviceCsv(200);
  expect(csv.length).toBeGreaterThan(190_000);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  // ~190 KB at 64 KB/s: about three seconds of upload for each of the two steps.
  await throttle(cdp, 64 * 1024, -1);
  await recordProgress(page);

  await page.getByTestId('csv-import').click();
  const dialog = page.getByTestId('csv-import-dialog');
  await dialog.getByTestId('csv-file').setInputFiles({ name: 'service.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const bar = dialog.getByTestId('csv-progress');
  await expect(bar).toBeVisible();
  await expect(bar.getByRole('progressbar')).toHaveAttribute('aria-valuenow', /^\d+$/);
  await expect(bar.getByRole('progressbar')).toHaveAccessibleName(/Uploading the file/);
  await expect(bar.getByTestId('progress-detail')).toContainText(/ of 1\d\d KB \(\d+%\)/);
  await expect(dialog.getByTestId('csv-summary')).toHaveText('200 rows ready to import.');
  await expect(bar).toBeHidden();

  await dialog.getByTestId('csv-confirm').click();
  await expect(bar).toBeVisible();
  await expect(bar.getByRole('progressbar')).toHaveAccessibleName(/Importing 200 rows|Processing/);
  await expect(dialog.getByTestId('csv-imported')).toHaveText('200 records imported.');
  await throttle(cdp, -1, -1);

  // The bar went up in steps (once the last byte is sent it turns to "Processing…", which has
  // no measure).
  const seen = await progressSeen(page);
  expect(seen.length, `values seen: ${seen}`).toBeGreaterThan(2);
  expect(seen.every((v) => v >= 0 && v <= 100), `values seen: ${seen}`).toBe(true);
  expect(Math.max(...seen), `values seen: ${seen}`).toBeGreaterThanOrEqual(50);

  await dialog.getByRole('button', { name: 'Close' }).first().click();
  await expect(tab.rows).toHaveCount(200);
});

test('the backup download shows progress and saves the archive', async ({ page }) => {
  await signIn(page);
  await page.goto('/admin');
  const section = page.getByTestId('admin-backup');
  await expect(section).toBeVisible();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await throttle(cdp, -1, 16 * 1024);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    (async () => {
      await section.getByTestId('admin-backup-download').click();
      const bar = section.getByTestId('admin-backup-progress');
      await expect(bar).toBeVisible();
      await expect(bar.getByRole('progressbar')).toHaveAccessibleName('Downloading the backup');
      // Bytes arrive (the archive streams without a length once compressed: bytes only).
      await expect(bar.getByTestId('progress-detail')).toContainText(/\d+ (B|KB|MB)/);
    })(),
  ]);
  await throttle(cdp, -1, -1);
  expect(download.suggestedFilename()).toMatch(/^db_backup_\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}\.zip$/);
  const zip = fs.readFileSync(await download.path());
  expect(zip.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])), 'a zip file').toBe(true);
  await expect(section.getByTestId('notice')).toHaveText(/^Backup saved: db_backup_.*\.zip \(\d+ (B|KB|MB)\)\.$/);
  await expect(section.getByTestId('admin-backup-progress')).toBeHidden();
  // The confirmation is announced: it sits in a live region.
  await expect(section.getByRole('status')).toContainText('Backup saved');
});

test('a bulk edit shows that it is working, then how many records changed', async ({ page }) => {
  const id = await newVehicle(page, 'Bulk');
  const tab = new RecordsTab(page);
  await tab.open(id, 'service');
  await page.getByTestId('csv-import').click();
  const dialog = page.getByTestId('csv-import-dialog');
  await dialog.getByTestId('csv-file').setInputFiles({ name: 'three.csv', mimeType: 'text/csv', buffer: Buffer.from(serviceCsv(3)) });
  await expect(dialog.getByTestId('csv-summary')).toHaveText('3 rows ready to import.');
  await dialog.getByTestId('csv-confirm').click();
  await expect(dialog.getByTestId('csv-imported')).toHaveText('3 records imported.');
  await dialog.getByRole('button', { name: 'Close' }).first().click();
  await expect(tab.rows).toHaveCount(3);

  for (let i = 0; i < 3; i++) {
    await tab.row(i).getByTestId('record-select').check();
  }
  const bar = page.getByTestId('bulk-bar');
  await expect(bar.getByTestId('bulk-count')).toHaveText('3 selected');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  // Each request takes a while: the busy state can be seen.
  await throttle(cdp, -1, -1, 700);
  await bar.getByTestId('bulk-tags-input').fill('spring');
  await bar.getByTestId('bulk-apply').click();
  await expect(bar.getByTestId('bulk-progress')).toBeVisible();
  await expect(bar.getByTestId('bulk-apply')).toBeDisabled();
  await expect(tab.notice).toHaveText('3 records updated.');
  await expect(bar).toBeHidden();
  await expect(tab.row(0).getByTestId('record-tag')).toHaveText(['spring']);

  // Moving goes one record at a time: the bar counts them.
  for (let i = 0; i < 3; i++) {
    await tab.row(i).getByTestId('record-select').check();
  }
  await bar.getByTestId('bulk-move').selectOption('repair');
  await expect(bar.getByTestId('bulk-progress').getByTestId('progress-detail')).toHaveText(/^[0-2] of 3$/);
  await expect(tab.notice).toHaveText('Moved 3 records to Repair.');
  await throttle(cdp, -1, -1);
  await expect(tab.empty).toBeVisible();
});
