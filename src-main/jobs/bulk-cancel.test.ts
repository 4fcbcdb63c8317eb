import { afterEach, describe, expect, it } from 'vitest';
import { openCore } from '../core/open-core';
import type { HandshakeCore } from '../core/types';
import { createRouter } from '../ipc/router';
import { makeTempDir } from '../testing/temp-dir';

let core: HandshakeCore | null = null;
afterEach(async () => {
  await core?.close('test over');
  core = null;
});

const sleepJob = { job_kind: 'terminal_exec' as const, protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped' as const, job_inputs: { argv: ['sleep', '30'] } };

async function humanCancellations(jobId: string): Promise<number> {
  const { items } = await core!.handlers['events.list']({ job_id: jobId, type: ['job_state_changed'], actor: 'human' });
  return items.filter((event) => event.payload.to_state === 'cancelled').length;
}

describe('jobs.cancel_many', () => {
  it('cancels queued and running jobs, one human event each, and skips finished ones', async () => {
    core = await openCore({ dataDir: makeTempDir(), host: 'browser', version: 'test', concurrency: 1, allowTerminal: true });
    await core.recoveryDone;
    const { handlers } = core;
    const started = new Promise<void>((resolve) => {
      const off = core!.subscribe((message) => {
        if (message.name === 'job.changed' && (message.payload as { job: { state: string } }).job.state === 'running') {
          off();
          resolve();
        }
      });
    });
    const running = await handlers['jobs.create'](sleepJob);
    await started;
    const queued = await handlers['jobs.create'](sleepJob);
    const finished = await handlers['jobs.cancel']({ job_id: (await handlers['jobs.create'](sleepJob)).job_id });

    const result = await handlers['jobs.cancel_many']({ job_ids: [running.job_id, queued.job_id, finished.job_id], reason: 'clearing the queue' });
    expect(result.cancelled.map((job) => [job.job_id, job.state, job.status_reason])).toEqual([
      [running.job_id, 'cancelled', 'clearing the queue'],
      [queued.job_id, 'cancelled', 'clearing the queue'],
    ]);
    expect(result.skipped).toEqual([{ job_id: finished.job_id, state: 'cancelled', message: 'a cancelled job cannot be cancelled' }]);
    for (const job of [running, queued, finished]) expect(await humanCancellations(job.job_id)).toBe(1);
  });

  it('refuses the whole call when an id names no job, and repeated ids, cancelling nothing', async () => {
    core = await openCore({ dataDir: makeTempDir(), host: 'browser', version: 'test', startEngine: false });
    await core.recoveryDone;
    const router = createRouter(core.handlers, { logError: () => {} });
    const queued = await core.handlers['jobs.create'](sleepJob);
    const unknown = '00000000-0000-4000-8000-00000000abcd';
    expect(await router.call('jobs.cancel_many', { job_ids: [queued.job_id, unknown] })).toMatchObject({ ok: false, error: { code: 'HSK-404-NOT-FOUND' } });
    expect(await router.call('jobs.cancel_many', { job_ids: [queued.job_id, queued.job_id] })).toMatchObject({ ok: false, error: { code: 'HSK-400-INVALID-INPUT' } });
    expect(await router.call('jobs.cancel_many', { job_ids: [] })).toMatchObject({ ok: false, error: { code: 'HSK-400-INVALID-INPUT' } });
    expect((await core.handlers['jobs.get']({ job_id: queued.job_id })).state).toBe('queued');
  });
});
