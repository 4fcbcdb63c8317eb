/**
 * One startup-recovery round of `npm run bench` (core group), run as a process of its own:
 * `tsx bench/recovery-rounds.ts <history.json>` prints the round's times as JSON on stdout.
 *
 * A real recovery runs in a fresh app process after a crash. The bench's own process has just
 * written a 1,000,000-job history and the lifecycle figures, and in it one round in three showed a
 * 64-167 ms event-loop stall that no fresh process showed (19-28 ms in every round, 4 runs of 3).
 * A second round in the same process runs with compiled code and took 30-45% less time than a real
 * first start does, so core.ts starts one process per round and takes the median.
 */
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { StartupRecovery } from '../src-main/recovery/recovery';
import { Store } from '../src-main/store/store';
import { copyHistory, type History } from './core';

export interface RecoveryRound {
  /** From the start of recovery to intake open. */
  staleMs: number;
  /** From intake open to the last stall's Diagnostic. */
  diagnoseMs: number;
  /** The longest event-loop delay over both. */
  loopDelayMs: number;
  /** A second recovery on the same store, with nothing stale left. */
  cleanMs: number;
}

export async function recoveryRound(history: History): Promise<RecoveryRound> {
  const dir = copyHistory(history);
  const store = Store.open(dir);
  try {
    const first = new StartupRecovery(store, { reason: 'heartbeat_timeout_after_crash' });
    // The longest the event loop (both hosts' requests) waits while recovery runs.
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const t0 = process.hrtime.bigint();
    const status = await first.run();
    const stalledAt = process.hrtime.bigint();
    if (status.stalled_count !== history.staleRuns) throw new Error(`recovery stalled ${status.stalled_count}, expected ${history.staleRuns}`);
    // Intake is open; the stalls' Diagnostics follow in the same kind of batches.
    await first.diagnosed;
    const diagnosedAt = process.hrtime.bigint();
    delay.disable();
    const diagnostics = store.listProblems({}).items.reduce((sum, problem) => sum + problem.count, 0);
    if (diagnostics < history.staleRuns) throw new Error(`recovery left ${diagnostics} Diagnostics, expected ${history.staleRuns}`);
    // The deferred checkpoint (a worker thread) is not part of recovery, but must not overlap the clean scan.
    await first.checkpointed;
    const again = new StartupRecovery(store, { reason: 'heartbeat_timeout_after_crash' });
    const t1 = process.hrtime.bigint();
    await again.run();
    return {
      staleMs: Number(stalledAt - t0) / 1e6,
      diagnoseMs: Number(diagnosedAt - stalledAt) / 1e6,
      loopDelayMs: delay.max / 1e6,
      cleanMs: Number(process.hrtime.bigint() - t1) / 1e6,
    };
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(new URL(import.meta.url).pathname)) {
  const history = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as History;
  process.stdout.write(`${JSON.stringify(await recoveryRound(history))}\n`);
}
