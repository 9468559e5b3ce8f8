import * as fs from 'node:fs';

/** Removes the run's data directories (kept when E2E_KEEP_DATA is set, for debugging). */
export default function globalTeardown() {
  const dir = process.env.E2E_RUN_DIR;
  if (dir && !process.env.E2E_KEEP_DATA) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
