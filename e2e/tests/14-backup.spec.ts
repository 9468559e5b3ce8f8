import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

import { signIn } from './support';

// The root administrator downloads a backup from /admin: a real zip whose manifest names the
// format and holds every table (docs/backup-format.md).

/** One entry of a zip, found through its central directory (stored or deflated). */
function zipEntry(zip: Buffer, wanted: string): Buffer | undefined {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(eocd, 'end of central directory').toBeGreaterThan(0);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLen = zip.readUInt16LE(at + 28);
    const extraLen = zip.readUInt16LE(at + 30);
    const commentLen = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLen);
    if (name === wanted) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return method === 8 ? zlib.inflateRawSync(data) : data;
    }
    at += 46 + nameLen + extraLen + commentLen;
  }
  return undefined;
}

test('the root downloads a backup with a manifest', async ({ page }) => {
  await signIn(page);
  await page.goto('/admin');
  const section = page.getByTestId('admin-backup');
  await expect(section).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('admin-backup-download').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^db_backup_\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}\.zip$/);
  const file = await download.path();
  const zip = fs.readFileSync(file);
  expect(zip.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])), 'a zip file').toBe(true);
  const manifestBytes = zipEntry(zip, 'manifest.json');
  expect(manifestBytes, 'manifest.json in the archive').toBeDefined();
  const manifest = JSON.parse(manifestBytes!.toString('utf8'));
  expect(manifest.format).toBe('motovault-backup');
  expect(manifest.formatVersion).toBe(1);
  const users = manifest.tables.find((t: { name: string }) => t.name === 'users');
  expect(users.rows).toBeGreaterThanOrEqual(1);
  // Each listed table is in the archive.
  for (const t of manifest.tables as { name: string }[]) {
    expect(zipEntry(zip, `tables/${t.name}.jsonl`), t.name).toBeDefined();
  }
});
