import { afterEach, describe, expect, it, vi } from 'vitest';
import { VALID_INPUTS } from '../testing/valid-inputs';
import type { EventDraft } from '../../src-shared/events';
import type { AiJob } from '../../src-shared/job';
import type { Envelope, PushMessage } from '../../src-shared/ipc';
import { createRouter } from '../ipc/router';
import type { RecoveryClock } from '../recovery/recovery';
import { StallWrites } from '../recovery/stall-writes';
import { Store } from '../store/store';
import { makeTempDir } from '../testing/temp-dir';
import { acquireDataDirLock } from './lock';
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
  const job = store.createJob({ job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0' }, OPTIONS);
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

/** A core started on a crash whose orphan's heartbeat is 5 s old: recovery is waiting for it to go stale. */
async function startWithFreshOrphan() {
  const dataDir = makeTempDir();
  const startedAt = Date.now();
  const orphan = prepare(dataDir, startedAt, orphanRun);
  const manual = manualClock(startedAt + 5_000);
  const core = await start(dataDir, { recoveryClock: manual.clock, recoveryThresholdMs: 30_000 });
  await manual.waiting;
  return { orphan, manual, core, router: createRouter(core.handlers) };
}

describe('openCore: the job gate', () => {
  it('holds jobs.create until recovery has stalled a fresh orphan, then accepts the job as queued', async () => {
    const { orphan, manual, core, router } = await startWithFreshOrphan();
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
      const create = () => store.createJob({ job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0' }, OPTIONS).job_id;
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
  it('hands the first subscriber the pushes made before it subscribed, from seq 1 without a gap', async () => {
    const core = await start(makeTempDir());
    await core.recoveryDone;
    const first: PushMessage[] = [];
    core.subscribe((message) => first.push(message));
    expect(first.length).toBeGreaterThan(0);
    expect(first.map((message) => message.seq)).toEqual(first.map((_, index) => index + 1));
    expect(first.some((message) => message.name === 'recovery.progress')).toBe(true);
    // Only the first subscriber gets the replay; later ones start with what comes next.
    const second: PushMessage[] = [];
    core.subscribe((message) => second.push(message));
    expect(second).toEqual([]);
  });

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
    // The lock is free again: taking it without waiting succeeds.
    acquireDataDirLock(dataDir, 0).release();

    const second = await start(dataDir);
    const starts = await second.handlers['events.list']({ type: ['app_started'], order: 'asc' });
    expect(starts.items.map((event) => event.payload.previous_stop)).toEqual(['first_start', 'clean']);
    const stops = await second.handlers['events.list']({ type: ['app_stopped'] });
    expect(stops.items.map((event) => event.payload.reason)).toEqual(['user quit']);
  });
});

describe('openCore: operator actions and a failed recovery', () => {
  it('holds an operator cancel of an orphan recovery has not handled; the stall comes first, then the cancel', async () => {
    const { orphan, manual, core, router } = await startWithFreshOrphan();

    let answered = false;
    const cancelled = router.call('jobs.cancel', { job_id: orphan.jobId, reason: 'not needed' }).then((envelope) => {
      answered = true;
      return ok<AiJob>(envelope);
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);

    manual.releaseWait();
    expect(await cancelled).toMatchObject({ state: 'cancelled', status_reason: 'not needed' });
    const { items } = await core.handlers['events.list']({ job_id: orphan.jobId, order: 'asc' });
    const story = items.map((event) => (event.type === 'job_state_changed' ? `${event.payload.from_state}->${event.payload.to_state}` : event.type));
    // The stall's diagnostic (issue 13) may sit between; the order of stall and cancel is the point.
    expect(story.filter((type) => type !== 'diagnostic').slice(-2)).toEqual(['workflow_recovery', 'stalled->cancelled']);
    expect((await core.handlers['runs.list']({ job_id: orphan.jobId })).items.map((run) => run.status)).toEqual(['stalled']);
  });

  it('closes intake with HSK-503-RECOVERY-FAILED naming what failed, and system.status says failed', async () => {
    const dataDir = makeTempDir();
    prepare(dataDir, Date.now() - 120_000, orphanRun);
    const spy = vi.spyOn(StallWrites.prototype, 'runningRuns').mockImplementation(() => {
      throw new Error('database disk image is malformed');
    });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const core = await start(dataDir);
      await expect(core.recoveryDone).rejects.toMatchObject({ code: 'HSK-503-RECOVERY-FAILED' });
      const router = createRouter(core.handlers);
      const refused = await router.call('jobs.create', VALID_INPUTS['jobs.create']);
      expect(refused).toMatchObject({ ok: false, error: { code: 'HSK-503-RECOVERY-FAILED' } });
      expect(!refused.ok && refused.error.message).toContain('database disk image is malformed');
      const status = await core.handlers['system.status']({});
      expect(status.accepting_jobs).toBe(false);
      expect(status.recovery).toMatchObject({ state: 'failed', error: 'database disk image is malformed' });
      expect((await core.handlers['jobs.list']({})).items).toHaveLength(1);
    } finally {
      spy.mockRestore();
      errors.mockRestore();
    }
  });
});

describe('openCore: a refused submission names its job_rejected event', () => {
  it('returns the event id and a UUIDv7 trace id of the job_rejected event in the 400 details', async () => {
    const core = await start(makeTempDir());
    await core.recoveryDone;
    const router = createRouter(core.handlers, { onInputRejected: core.onInputRejected });
    const refusal = await router.call('jobs.create', { job_kind: 'doc_delete', protocol_id: 'p' });
    const rejection = !refusal.ok ? (refusal.error.details as { rejection: { event_id: string; trace_id: string } }).rejection : null;
    expect(rejection?.trace_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const { items } = await core.handlers['events.list']({ event_id: rejection!.event_id });
    expect(items).toMatchObject([{ type: 'job_rejected', trace_id: rejection!.trace_id }]);
  });
});

describe('openCore: retention while the app is open', () => {
  it('applies the retention window on a schedule, not only at start', async () => {
    const dataDir = makeTempDir();
    // A window of about 0.2 s, applied every 50 ms: the start's own app_started event ages out.
    const core = await openCore(
      { dataDir, host: 'browser', version: 'test', startEngine: false, retentionDays: 2 / 864_000 },
      { retentionIntervalMs: 50 },
    );
    open.push(core);
    const purged = new Promise<void>((resolve) => {
      core.subscribe((message) => {
        if (message.name === 'event.appended' && (message.payload as { event: { type: string } }).event.type === 'retention_purge') resolve();
      });
    });
    expect((await core.handlers['events.list']({ type: ['app_started'] })).items).toHaveLength(1);
    await purged;
    const after = await core.handlers['events.list']({ type: ['app_started'] });
    expect(after.items).toEqual([]);
    expect(after.purged_before).not.toBeNull();
  });
});
