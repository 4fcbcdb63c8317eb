/**
 * Start and scale on a large history: openCore to accepting jobs (recovery complete, the gate
 * open) on a data dir that holds the whole history, and the host's resident memory after it has
 * served the first pages of the list and a search.
 */
import fs from 'node:fs';
import { openCore } from '../src-main/core/open-core';
import type { HandshakeCore } from '../src-main/core/types';
import { copyHistory, type History } from './core';
import { median, type BenchRow } from './stats';

const ROUNDS = 3;

async function open(dir: string): Promise<HandshakeCore> {
  const core = await openCore({ dataDir: dir, host: 'browser', version: 'bench', modelRuntime: 'none', startEngine: false });
  await core.recoveryDone;
  return core;
}

export async function benchStart(history: History): Promise<BenchRow[]> {
  const dir = copyHistory(history);
  try {
    // The first open stalls the history's interrupted runs (the recovery figure); time the next ones.
    await (await open(dir)).close('bench');
    const times: number[] = [];
    let rssMb = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const started = performance.now();
      const core = await open(dir);
      times.push(performance.now() - started);
      await core.handlers['jobs.list']({ limit: 50 });
      await core.handlers['jobs.list']({ limit: 50, state: ['failed'] });
      await core.handlers['jobs.list']({ limit: 50, text: 'quarterly' });
      rssMb = process.memoryUsage().rss / 1024 / 1024;
      await core.close('bench');
    }
    return [
      { group: 'start', name: `openCore to accepting jobs (${history.jobs} jobs)`, value: median(times), unit: 'ms', n: ROUNDS, note: 'lock, open, migrate check, app_started, retention, recovery scan, gate open; median', target: { max: 500 } },
      { group: 'start', name: `host RSS after serving the history (${history.jobs} jobs)`, value: rssMb, unit: 'MB', n: 1, note: 'process.memoryUsage().rss after openCore and the first list, filter and search pages (the bench process: includes the history-building code)' },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
