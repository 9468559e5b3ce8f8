import { defineConfig, devices } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Each project (desktop, phone) gets its own real server with a fresh data directory, because
// first-run setup can happen only once per installation.
//
//   MOTOVAULT_BIN          server binary (default: the debug build in /var/tmp/motovault-target)
//   E2E_PORT               desktop server port (default 18080); the phone server uses E2E_PORT + 1
//   E2E_DATABASE_URL       optional database URL for the desktop server (default: SQLite in the data dir)
//   E2E_DATABASE_URL_PHONE optional database URL for the phone server (must differ from the desktop one)
//   E2E_SHOTS_DIR          when set, tests save screenshots there
//   E2E_KEEP_DATA          when set, the servers' data directories are kept after the run
//   E2E_DIST_DIR           the built web app to serve (default: ../dist)

const bin = process.env.MOTOVAULT_BIN ?? '/var/tmp/motovault-target/debug/motovault';
const basePort = Number(process.env.E2E_PORT ?? 18080);
const dist = process.env.E2E_DIST_DIR ?? path.resolve(__dirname, '..', 'dist');

// The config is also loaded by the worker processes: create the run's folder once and hand it on.
if (!process.env.E2E_RUN_DIR) {
  process.env.E2E_RUN_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'motovault-e2e-'));
}
const runDir = process.env.E2E_RUN_DIR;

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

function server(name: string, port: number, databaseUrl: string | undefined) {
  const dataDir = path.join(runDir, name);
  fs.mkdirSync(dataDir, { recursive: true });
  const env: Record<string, string> = {
    MOTOVAULT__SERVER__PORT: String(port),
    MOTOVAULT__DATA_DIR: dataDir,
    MOTOVAULT__WEB__DIST_DIR: dist,
  };
  if (databaseUrl) {
    env.MOTOVAULT__DATABASE__URL = databaseUrl;
  }
  return {
    command: `${bin} serve`,
    url: `http://127.0.0.1:${port}/health/ready`,
    env,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
  };
}

const desktopPort = basePort;
const phonePort = basePort + 1;

export default defineConfig({
  testDir: './tests',
  globalTeardown: './global-teardown.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  outputDir: './test-results',
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromium,
  },
  projects: [
    {
      name: 'desktop',
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 800 },
        baseURL: `http://127.0.0.1:${desktopPort}`,
      },
    },
    {
      name: 'phone',
      use: {
        ...devices['Pixel 5'],
        browserName: 'chromium',
        viewport: { width: 375, height: 740 },
        baseURL: `http://127.0.0.1:${phonePort}`,
      },
    },
  ],
  webServer: [
    server('desktop', desktopPort, process.env.E2E_DATABASE_URL),
    server('phone', phonePort, process.env.E2E_DATABASE_URL_PHONE),
  ],
});
