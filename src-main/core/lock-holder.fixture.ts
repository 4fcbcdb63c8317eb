/**
 * Test fixture for lock.test.ts: a host process that opens the core on a data dir, prints one JSON
 * line saying whether it got the lock (and, if not, the refusal), and stays alive while it owns it.
 */
import { isHskError } from '../../src-shared/errors';
import { openCore } from './open-core';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: lock-holder.fixture.ts <data-dir>');

try {
  await openCore({ dataDir, host: 'browser', version: 'lock-fixture', modelRuntime: 'none', startEngine: false });
  process.stdout.write(`${JSON.stringify({ ok: true, pid: process.pid })}\n`);
  setInterval(() => undefined, 60_000);
} catch (error) {
  if (!isHskError(error)) throw error;
  process.stdout.write(`${JSON.stringify({ ok: false, pid: process.pid, code: error.code, message: error.message })}\n`);
  process.exit(0);
}
