import { expect, type Page, type TestInfo } from '@playwright/test';
import * as path from 'node:path';

import { GaragePage } from '../pages/garage';
import { LoginPage } from '../pages/login';
import { SetupPage } from '../pages/setup';

/** The account the first test creates; later tests sign in with it. */
export const ADMIN = { username: 'admin', password: 'correct-horse-battery', email: 'admin@example.com' };

/**
 * Opens the garage signed in as ADMIN: signs in when asked to, and runs first-run setup if this
 * server has none yet (so a test still works when run on its own).
 */
export async function signIn(page: Page): Promise<GaragePage> {
  await page.goto('/');
  const setup = new SetupPage(page);
  const login = new LoginPage(page);
  const garage = new GaragePage(page);
  await expect(setup.form.or(login.form).or(garage.heading)).toBeVisible();
  if (await setup.form.isVisible()) {
    await setup.createAccount(ADMIN.username, ADMIN.password, ADMIN.email);
  } else if (await login.form.isVisible()) {
    await login.signIn(ADMIN.username, ADMIN.password);
  }
  await garage.expectShown();
  return garage;
}

/** Saves a screenshot (whole page unless `fullPage` is false) when E2E_SHOTS_DIR is set. */
export async function shot(page: Page, info: TestInfo, name: string, fullPage = true) {
  const dir = process.env.E2E_SHOTS_DIR;
  if (!dir) return;
  await page.screenshot({ path: path.join(dir, `${info.project.name}-${name}.png`), fullPage, animations: 'disabled' });
}

/** The same, in the dark colour scheme (when E2E_SHOTS_DIR is set). */
export async function darkShot(page: Page, info: TestInfo, name: string) {
  if (!process.env.E2E_SHOTS_DIR) return;
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(300); // let colour transitions finish
  await shot(page, info, name);
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Nothing on the page is wider than the viewport (phones included), and the table fits its card. */
export async function expectNoHorizontalOverflow(page: Page) {
  const overflow = await page.evaluate(() => {
    const doc = document.documentElement;
    const wraps = Array.from(document.querySelectorAll('.table-wrap'));
    return {
      page: doc.scrollWidth - doc.clientWidth,
      tables: wraps.map((w) => w.scrollWidth - w.clientWidth),
    };
  });
  expect(overflow.page, 'page scrolls sideways').toBeLessThanOrEqual(0);
  for (const table of overflow.tables) {
    expect(table, 'table scrolls sideways').toBeLessThanOrEqual(0);
  }
}
