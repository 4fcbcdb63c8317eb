/**
 * A fresh temporary data dir per test, removed afterwards, so no test sees another's database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach } from 'vitest';

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

const suiteDirs: string[] = [];

afterAll(() => {
  for (const dir of suiteDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Like makeTempDir, but kept until every test of the file has run (for beforeAll fixtures). */
export function makeSuiteTempDir(prefix = 'hsk-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  suiteDirs.push(dir);
  return dir;
}
