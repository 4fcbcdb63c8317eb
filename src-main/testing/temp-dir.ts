/**
 * A fresh temporary data dir per test, removed afterwards, so no test sees another's database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

const created: string[] = [];

afterEach(() => {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Creates an empty directory under os.tmpdir(); it is deleted after the current test. */
export function makeTempDir(prefix = 'hsk-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}
