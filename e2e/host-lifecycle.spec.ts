/**
 * Starting and stopping `npm run serve`: one host per data dir, and a clean stop on SIGTERM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, startServe, test } from './fixtures/app';

test('refuses a second host on the same data dir with a clear message', async ({ app }) => {
  await expect(startServe({ dataDir: app.dataDir })).rejects.toThrow(/HSK-409-DATA-DIR-LOCKED/);
  expect(await app.rpc('system.status', {})).toMatchObject({ ok: true });
});

test('stops cleanly on SIGTERM, so the next start is not treated as a crash', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hsk-e2e-restart-'));
  const first = await startServe({ dataDir });
  await first.stop();
  const second = await startServe({ dataDir });
  try {
    const started = await second.rpc<{ items: { payload: { previous_stop: string } }[] }>('events.list', {
      type: 'app_started',
      order: 'desc',
      limit: 1,
    });
    expect(started).toMatchObject({ ok: true, data: { items: [{ payload: { previous_stop: 'clean' } }] } });
  } finally {
    await second.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
