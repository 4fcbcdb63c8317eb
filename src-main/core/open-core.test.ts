import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventDraft } from '../../src-shared/events';
import type { AiJob } from '../../src-shared/job';
import type { Envelope } from '../../src-shared/ipc';
import { createRouter } from '../ipc/router';
import type { RecoveryClock } from '../recovery/recovery';
import { Store } from '../store/store';
import { makeTempDir } from '../testing/temp-dir';
import { LOCK_FILE_NAME } from './lock';
import { openCore, type CoreTestHooks } from './open-core';
import type { HandshakeCore } from './types';

const OPTIONS = { capabilityProfileId: 'Analyst' };
const open: HandshakeCore[] = [];

afterEach(async () => {
  for (const core of open.splice(0)) await core.close('test finished');
});

async function start(dataDir: string, hooks: CoreTestHooks = {}): Promise<HandshakeCore> {
  const core = await openCore({ dataDir, host: 'browser', version: 'test', startEngine: false }, hooks);
  open.push(core);
  return core;
}

async function stop(core: HandshakeCore): Promise<void> {
  open.splice(open.indexOf(core), 1);
  await core.close('user quit');
}

/** Writes history into a data dir before the core opens it, with the store's clock at `now`. */
function prepare<T>(dataDir: string, now: number, work: (store: Store) => T): T {
  const store = Store.open(dataDir, { now: () => now });
  try {
    return work(store);
  } finally {
    store.close();
  }
}

/** A job whose run is left `running`, as after a crash; its heartbeat is the store clock at the time. */
function orphanRun(store: Store): { jobId: string; runId: string } {
  const job = store.createJob({ job_kind: 'doc_edit', protocol_id: 'p' }, OPTIONS);
  return { jobId: job.job_id, runId: store.startRun(job.job_id).run.workflow_run_id };
}

function marker(type: 'app_started' | 'app_stopped') {
  const payload =
    type === 'app_started' ? { version: 'old', pid: 1, host: 'browser', previous_stop: 'first_start' } : { reason: 'quit' };
  return { type, actor: 'system', trace_id: '00000000-0000-4000-8000-000000000001', payload } as EventDraft;
}

/** A recovery clock the test moves by hand: wait() resolves only when the test releases it. */
function manualClock(start: number) {
  let now = start;
  let release: (() => void) | null = null;
  let onWaiting: () => void = () => undefined;
  const waiting = new Promise<void>((resolve) => (onWaiting = resolve));
  const clock: RecoveryClock = {
    now: () => now,
    wait: (ms) =>
      new Promise<void>((resolve) => {
        release = () => {
          now += ms;
          resolve();
        };
        onWaiting();
      }),
  };
  return {
    clock,
    waiting,
    releaseWait: () => {
      if (!release) throw new Error('recovery is not waiting');
      release();
    },
  };
}

const ok = <T>(envelope: Envelope<unknown>): T => {
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.data as T;
};

describe('openCore: the job gate', () => {
  it('holds jobs.create until recovery has stalled a fresh orphan, then accepts the job as queued', async () => {
    const dataDir = makeTempDir();
    const startedAt = Date.now();
    const orphan = prepare(dataDir, startedAt, orphanRun);
    const manual = manualClock(startedAt + 5_000);
    const core = await start(dataDir, { recoveryClock: manual.clock, recoveryThresholdMs: 30_000 });
    const router = createRouter(core.handlers);

    await manual.waiting;
    const waitingStatus = await core.handlers['system.status']({});
    expect(waitingStatus.accepting_jobs).toBe(false);
    expect(waitingStatus.recovery).toMatchObject({ state: 'running', waiting_count: 1, stalled_count: 0 });
    expect(waitingStatus.recovery.ready_in_ms).toBeGreaterThan(0);

    const order: string[] = [];
    void core.recoveryDone.then(() => order.push('recovery complete'));
    const created = router.call('jobs.create', { job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0', job_inputs: { text: 'Fix the typos.' } }).then((envelope) => {
      order.push('job created');
      return ok<AiJob>(envelope);
    });
    // Let every pending callback run: the create must still be parked behind the gate.
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);

    manual.releaseWait();
    const job = await created;
    expect(order).toEqual(['recovery complete', 'job created']);
    expect(job.state).toBe('queued');

    const status = await core.handlers['system.status']({});
    expect(status.accepting_jobs).toBe(true);
    expect(status.recovery).toMatchObject({ state: 'complete', stalled_count: 1, waiting_count: 0, ready_in_ms: 0, recovered_job_ids: [orphan.jobId] });
    expect(ok<AiJob>(await router.call('jobs.get', { job_id: orphan.jobId })).state).toBe('stalled');
  });

  it('reports recovery complete with zero counts on a clean data dir', async () => {
    const core = await start(makeTempDir());
    await core.recoveryDone;
    const status = await core.handlers['system.status']({});
    expect(status.recovery).toMatchObject({ state: 'complete', stalled_count: 0, waiting_count: 0, ready_in_ms: 0 });
    expect(status.accepting_jobs).toBe(true);
  });

  it('stalls a stale run with heartbeat_timeout_after_crash when the previous process crashed', async () => {
    const dataDir = makeTempDir();
    const orphan = prepare(dataDir, Date.now() - 120_000, (store) => {
      store.recordEvent(marker('app_started'));
      return orphanRun(store);
    });
    const core = await start(dataDir);
    await core.recoveryDone;
    expect(await core.handlers['jobs.get']({ job_id: orphan.jobId })).toMatchObject({
      state: 'stalled',
      status_reason: 'heartbeat_timeout_after_crash',
    });
  });

  it('stalls a stale run with interrupted_by_shutdown when the previous process stopped cleanly', async () => {
    const dataDir = makeTempDir();
    const orphan = prepare(dataDir, Date.now() - 120_000, (store) => {
      store.recordEvent(marker('app_started'));
      const run = orphanRun(store);
      store.recordEvent(marker('app_stopped'));
      return run;
    });
    const core = await start(dataDir);
    await core.recoveryDone;
    expect(await core.handlers['jobs.get']({ job_id: orphan.jobId })).toMatchObject({
      state: 'stalled',
      status_reason: 'interrupted_by_shutdown',
    });
  });
});

describe('openCore: alias through the channels', () => {
  it('stores, lists and events a term_exec submission as terminal_exec', async () => {
    const core = await start(makeTempDir());
    const router = createRouter(core.handlers);
    const job = ok<AiJob>(await router.call('jobs.create', { job_kind: 'term_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['true'] } }));
    expect(job.job_kind).toBe('terminal_exec');
    const listed = ok<{ items: AiJob[] }>(await router.call('jobs.list', { job_kind: 'term_exec' }));
    expect(listed.items.map((item) => item.job_id)).toEqual([job.job_id]);
    const events = ok<{ items: Array<{ type: string; payload: Record<string, unknown> }> }>(
      await router.call('events.list', { job_id: job.job_id, type: 'job_created' }),
    );
    expect(events.items[0]?.payload.job_kind).toBe('terminal_exec');
  });
});

describe('openCore: operator actions', () => {
  /** Opens a core over a data dir holding one job in each state the operator actions care about. */
  async function coreWithJobs() {
    const dataDir = makeTempDir();
    const jobs = prepare(dataDir, Date.now() - 120_000, (store) => {
      const create = () => store.createJob({ job_kind: 'doc_edit', protocol_id: 'p' }, OPTIONS).job_id;
      const queued = create();
      const stalled = orphanRun(store).jobId;
      const awaitingUser = create();
      store.startRun(awaitingUser);
      store.transitionJob(awaitingUser, 'awaiting_validation', 'engine', 'check');
      store.transitionJob(awaitingUser, 'awaiting_user', 'engine', 'needs a person');
      const poisoned = create();
      store.transitionJob(poisoned, 'poisoned', 'security', 'prompt injection');
      return { queued, stalled, awaitingUser, poisoned };
    });
    const core = await start(dataDir);
    await core.recoveryDone;
    return { core, router: createRouter(core.handlers), jobs };
  }

  it('resumes a stalled or awaiting_user job to queued, writing a human job_state_changed event', async () => {
    const { router, jobs } = await coreWithJobs();
    for (const jobId of [jobs.stalled, jobs.awaitingUser]) {
      const resumed = ok<AiJob>(await router.call('jobs.resume', { job_id: jobId, reason: 'try again' }));
      expect(resumed.state).toBe('queued');
      const events = ok<{ items: Array<{ actor: string; payload: Record<string, unknown> }> }>(
        await router.call('events.list', { job_id: jobId, type: 'job_state_changed', order: 'desc', limit: 1 }),
      );
      expect(events.items[0]).toMatchObject({ actor: 'human', payload: { to_state: 'queued', cause: 'operator', reason: 'try again' } });
    }
  });

  it('refuses to resume a queued or poisoned job', async () => {
    const { router, jobs } = await coreWithJobs();
    for (const jobId of [jobs.queued, jobs.poisoned]) {
      const result = await router.call('jobs.resume', { job_id: jobId });
      expect(result).toMatchObject({ ok: false, error: { code: 'HSK-409-ILLEGAL-TRANSITION' } });
    }
  });

  it('never lets an operator move a poisoned job', async () => {
    const { router, jobs } = await coreWithJobs();
    for (const channel of ['jobs.resume', 'jobs.cancel', 'jobs.fail']) {
      expect(await router.call(channel, { job_id: jobs.poisoned })).toMatchObject({ ok: false, error: { code: 'HSK-409-ILLEGAL-TRANSITION' } });
    }
    expect(ok<AiJob>(await router.call('jobs.get', { job_id: jobs.poisoned })).state).toBe('poisoned');
  });

  it('cancels a queued job and fails a stalled one, with the default operator reasons', async () => {
    const { router, jobs } = await coreWithJobs();
    expect(ok<AiJob>(await router.call('jobs.cancel', { job_id: jobs.queued }))).toMatchObject({
      state: 'cancelled',
      status_reason: 'cancelled_by_operator',
    });
    expect(ok<AiJob>(await router.call('jobs.fail', { job_id: jobs.stalled }))).toMatchObject({
      state: 'failed',
      status_reason: 'failed_by_operator',
    });
    expect(await router.call('jobs.fail', { job_id: jobs.awaitingUser })).toMatchObject({ ok: false });
  });
});

describe('openCore: lifecycle', () => {
  it('refuses a second core on the same data dir', async () => {
    const dataDir = makeTempDir();
    await start(dataDir);
    await expect(start(dataDir)).rejects.toMatchObject({ code: 'HSK-409-DATA-DIR-LOCKED' });
  });

  it('writes app_stopped and releases the lock on close; the next start reports previous_stop clean', async () => {
    const dataDir = makeTempDir();
    const first = await start(dataDir);
    await first.recoveryDone;
    await stop(first);
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);

    const second = await start(dataDir);
    const starts = await second.handlers['events.list']({ type: ['app_started'], order: 'asc' });
    expect(starts.items.map((event) => event.payload.previous_stop)).toEqual(['first_start', 'clean']);
    const stops = await second.handlers['events.list']({ type: ['app_stopped'] });
    expect(stops.items.map((event) => event.payload.reason)).toEqual(['user quit']);
  });
});
