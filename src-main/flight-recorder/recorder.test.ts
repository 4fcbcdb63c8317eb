import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HskError } from '../../src-shared/errors';
import type { EventDraft } from '../../src-shared/events';
import { Store } from '../store/store';
import { makeTempDir } from '../testing/temp-dir';
import { count, dbOf } from '../testing/store';

const DAY_MS = 86_400_000;
const START = Date.UTC(2026, 0, 1);

function openStore(): { store: Store; clock: { now: number } } {
  const clock = { now: START };
  return { store: Store.open(makeTempDir(), { now: () => clock.now }), clock };
}

const trace = randomUUID();

function stopped(overrides: Partial<EventDraft> = {}): EventDraft {
  return { type: 'app_stopped', actor: 'system', trace_id: trace, payload: { reason: 'test' }, ...overrides } as EventDraft;
}

const recovery = (payload: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}): EventDraft => ({
  type: 'workflow_recovery',
  actor: 'system',
  trace_id: trace,
  payload: {
    workflow_run_id: randomUUID(),
    job_id: randomUUID(),
    from_state: 'running',
    to_state: 'stalled',
    reason: 'heartbeat_timeout_after_crash',
    last_heartbeat_ts: '2026-01-01T00:00:00.000Z',
    threshold_secs: 30,
    ...payload,
  },
  ...envelope,
} as EventDraft);

const inference = (payload: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}): EventDraft => ({
  type: 'llm_inference',
  actor: 'agent',
  trace_id: trace,
  model_id: 'llama3',
  payload: {
    trace_id: trace,
    model_id: 'llama3',
    token_usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    ...payload,
  },
  ...envelope,
} as EventDraft);

describe('event validation', () => {
  it('stores valid events of the spec types', () => {
    const { store } = openStore();
    store.recordEvent(recovery());
    store.recordEvent(inference());
    store.recordEvent(stopped());
    // The recovery is also a problem: its Diagnostic's `diagnostic` event follows it.
    const types = store.listEvents({ order: 'asc' }).items.map((event) => event.type);
    expect(types).toEqual(['workflow_recovery', 'diagnostic', 'llm_inference', 'app_stopped']);
  });

  it.each<[string, unknown]>([
    ['an unknown type', { ...stopped(), type: 'job_teleported' }],
    ['a bad uuid trace_id', stopped({ trace_id: 'not-a-uuid' })],
    ['an upper-case trace_id', stopped({ trace_id: trace.toUpperCase() })],
    ['an unknown actor', { ...stopped(), actor: 'robot' }],
    ['an unknown envelope field', { ...stopped(), severity: 'high' }],
    ['a missing payload', { type: 'app_stopped', actor: 'system', trace_id: trace }],
    ['an unknown payload field', stopped({ payload: { reason: 'r', extra: 1 } as never })],
    ['app_stopped from an agent', stopped({ actor: 'agent' })],
    ['workflow_recovery with actor human', recovery({}, { actor: 'human' })],
    ['workflow_recovery with actor agent', recovery({}, { actor: 'agent' })],
    ['workflow_recovery without last_heartbeat_ts', recovery({ last_heartbeat_ts: undefined })],
    ['workflow_recovery with a non-RFC3339 heartbeat', recovery({ last_heartbeat_ts: '1767225600000' })],
    ['workflow_recovery from queued', recovery({ from_state: 'queued' })],
    ['workflow_recovery to failed', recovery({ to_state: 'failed' })],
    ['workflow_recovery without workflow_run_id', recovery({ workflow_run_id: undefined })],
    ['llm_inference without model_id on the event', inference({}, { model_id: undefined })],
    ['llm_inference without model_id in the payload', inference({ model_id: undefined })],
    ['llm_inference with a mismatched trace_id', inference({ trace_id: randomUUID() })],
    ['llm_inference with a mismatched model_id', inference({ model_id: 'gpt' })],
    ['an oversize payload', {
      type: 'debug_bundle_export',
      actor: 'human',
      trace_id: trace,
      payload: { bundle_id: 'b', scope: 'job', redaction_mode: 'SAFE_DEFAULT', included_job_ids: Array.from({ length: 2_000 }, () => randomUUID()) },
    }],
    ['null', null],
  ])('refuses %s with HSK-400-INVALID-EVENT and stores nothing', (_label, draft) => {
    const { store } = openStore();
    let caught: unknown;
    try {
      store.recordEvent(draft as EventDraft);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HskError);
    expect((caught as HskError).code).toBe('HSK-400-INVALID-EVENT');
    expect(count(store, 'fr_events')).toBe(0);
  });
});

describe('timestamps', () => {
  it('never go backwards, even when the clock does', () => {
    const { store, clock } = openStore();
    const first = store.recordEvent(stopped());
    clock.now -= 60_000;
    const second = store.recordEvent(stopped());
    clock.now += 120_000;
    const third = store.recordEvent(stopped());
    expect(second.timestamp).toBe(first.timestamp);
    expect(Date.parse(third.timestamp)).toBe(START + 60_000);
  });

  it('stay monotonic across a reopen with a clock that went backwards', () => {
    const dir = makeTempDir();
    const first = Store.open(dir, { now: () => START });
    const before = first.recordEvent(stopped());
    first.close();
    const second = Store.open(dir, { now: () => START - DAY_MS });
    expect(Date.parse(second.recordEvent(stopped()).timestamp)).toBeGreaterThanOrEqual(Date.parse(before.timestamp));
    second.close();
  });
});

describe('list', () => {
  /** 300 events over 300 seconds; every 7th on one job, every 11th from a human. */
  function history() {
    const { store, clock } = openStore();
    const jobId = randomUUID();
    const runId = randomUUID();
    const jobTrace = randomUUID();
    for (let index = 0; index < 300; index += 1) {
      clock.now = START + index * 1_000;
      const onJob = index % 7 === 0;
      store.recordEvent({
        type: index % 11 === 0 ? 'capability_action' : 'app_stopped',
        actor: index % 11 === 0 ? 'human' : 'system',
        trace_id: onJob ? jobTrace : trace,
        job_id: onJob ? jobId : null,
        workflow_run_id: onJob ? runId : null,
        payload:
          index % 11 === 0
            ? { capability_id: 'fs.read', actor_id: 'me', job_id: null, decision_outcome: 'allow' }
            : { reason: `event ${index}` },
      } as EventDraft);
    }
    return { store, jobId, runId, jobTrace };
  }

  function allPages(store: Store, filter: Parameters<Store['listEvents']>[0]): number[] {
    const seqs: number[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = store.listEvents({ ...filter, ...(cursor ? { cursor } : {}) });
      seqs.push(...page.items.map((event) => event.seq));
      if (!page.next_cursor) return seqs;
      cursor = page.next_cursor;
    }
  }

  const expectedSeqs = (keep: (index: number) => boolean) =>
    Array.from({ length: 300 }, (_, index) => index).filter(keep).map((index) => index + 1);

  it('filters in SQL, so matches beyond the first 200 events are found', () => {
    const { store, jobId, runId, jobTrace } = history();
    const onJob = expectedSeqs((index) => index % 7 === 0);
    expect(onJob.at(-1)).toBeGreaterThan(200);
    expect(allPages(store, { job_id: jobId, order: 'asc', limit: 10 })).toEqual(onJob);
    expect(allPages(store, { trace_id: jobTrace, order: 'asc', limit: 10 })).toEqual(onJob);
    expect(allPages(store, { workflow_run_id: runId, order: 'asc', limit: 500 })).toEqual(onJob);
    expect(allPages(store, { type: ['capability_action'], order: 'asc', limit: 3 })).toEqual(expectedSeqs((i) => i % 11 === 0));
    expect(allPages(store, { actor: 'human', order: 'asc' })).toEqual(expectedSeqs((i) => i % 11 === 0));
  });

  it('filters by an inclusive time range', () => {
    const { store } = history();
    const inRange = allPages(store, { from: START + 250_000, to: START + 259_000, order: 'asc' });
    expect(inRange).toEqual(expectedSeqs((index) => index >= 250 && index <= 259));
  });

  it('finds time ranges at the edges: before all, after all, and many events in one millisecond', () => {
    const { store, clock } = openStore();
    for (let i = 0; i < 30; i += 1) {
      if (i % 10 === 0) clock.now += 1_000;
      store.recordEvent(stopped());
    }
    const eventsBetween = (from?: number, to?: number) => store.listEvents({ from, to, limit: 500 }).items.length;
    expect(eventsBetween(START - 5_000, START + 100_000)).toBe(30);
    expect(eventsBetween(START + 2_000, START + 2_000)).toBe(10);
    expect(eventsBetween(START + 1_500)).toBe(20);
    expect(eventsBetween(undefined, START + 1_999)).toBe(10);
    expect(eventsBetween(START + 100_000)).toBe(0);
    expect(eventsBetween(undefined, START)).toBe(0);
    expect(openStore().store.listEvents({ from: START, to: START + 1 }).items).toEqual([]);
  });

  it('finds one event by its event_id', () => {
    const { store } = openStore();
    const events = Array.from({ length: 5 }, () => store.recordEvent(stopped()));
    const target = events[3]!;
    expect(store.listEvents({ event_id: target.event_id }).items.map((event) => event.seq)).toEqual([target.seq]);
    expect(store.listEvents({ event_id: randomUUID() }).items).toEqual([]);
  });

  it('pages newest first by default and visits every event once', () => {
    const { store } = history();
    const seqs = allPages(store, { limit: 7 });
    expect(seqs).toEqual(expectedSeqs(() => true).reverse());
  });

  it('refuses a garbage cursor', () => {
    const { store } = history();
    expect(() => store.listEvents({ cursor: 'xyz' })).toThrow(expect.objectContaining({ code: 'HSK-400-INVALID-INPUT' }));
  });
});

describe('retention purge', () => {
  it('removes only events older than the window, returns the count and leaves a purge event', () => {
    const { store, clock } = openStore();
    for (const age of [40, 31, 29, 1]) {
      clock.now = START - age * DAY_MS;
      store.recordEvent(stopped({ payload: { reason: `age ${age}` } }));
    }
    clock.now = START;
    expect(store.purgeEvents(30, trace)).toBe(2);
    const remaining = store.listEvents({ order: 'asc' }).items;
    expect(remaining.map((event) => event.type === 'app_stopped' ? event.payload.reason : event.type)).toEqual([
      'age 29',
      'age 1',
      'retention_purge',
    ]);
    expect(remaining.at(-1)).toMatchObject({
      actor: 'system',
      payload: { retention_days: 30, purged_count: 2, cutoff: new Date(START - 30 * DAY_MS).toISOString() },
    });
  });

  it('reports purged_before afterwards, so a gap reads as "removed by retention"', () => {
    const { store, clock } = openStore();
    expect(store.listEvents({}).purged_before).toBeNull();
    clock.now = START - 40 * DAY_MS;
    store.recordEvent(stopped());
    clock.now = START;
    store.purgeEvents(30, trace);
    expect(store.listEvents({}).purged_before).toBe(new Date(START - 30 * DAY_MS).toISOString());
  });

  it('removes nothing, writes nothing and reports no purge when nothing is old enough', () => {
    const { store } = openStore();
    store.recordEvent(stopped());
    expect(store.purgeEvents(30, trace)).toBe(0);
    expect(count(store, 'fr_events')).toBe(1);
    expect(store.listEvents({}).purged_before).toBeNull();
  });

  it('leaves the log append-only after a purge', () => {
    const { store, clock } = openStore();
    clock.now = START - 40 * DAY_MS;
    store.recordEvent(stopped());
    clock.now = START;
    store.purgeEvents(30, trace);
    expect(() => dbOf(store).prepare('DELETE FROM fr_events').run()).toThrow(/append-only/);
  });

  it.each([0, -1, Number.NaN])('refuses a retention of %s days', (days) => {
    const { store } = openStore();
    expect(() => store.purgeEvents(days, trace)).toThrow(expect.objectContaining({ code: 'HSK-400-INVALID-INPUT' }));
  });
});

describe('previousStop', () => {
  const started = { type: 'app_started', actor: 'system', trace_id: trace, payload: { version: '1', pid: 1, host: 'cli', previous_stop: 'first_start' } } as EventDraft;

  it('is first_start on a new database', () => {
    expect(openStore().store.previousStop()).toBe('first_start');
  });

  it('is crash when the last marker is app_started', () => {
    const { store } = openStore();
    store.recordEvent(started);
    store.recordEvent(stopped());
    store.recordEvent(started);
    expect(store.previousStop()).toBe('crash');
  });

  it('is clean when the last marker is app_stopped, whatever came after it', () => {
    const { store } = openStore();
    store.recordEvent(started);
    store.recordEvent(stopped());
    store.recordEvent(inference());
    expect(store.previousStop()).toBe('clean');
  });
});

describe('redaction before commit', () => {
  it('stores every string of a payload redacted, whoever produced the event', () => {
    const { store } = openStore();
    const event = store.recordEvent(stopped({ payload: { reason: 'quit by ada@example.org with password=hunter22' } }));
    const stored = dbOf(store).prepare('SELECT payload FROM fr_events WHERE event_id = ?').pluck().get(event.event_id) as string;
    expect(JSON.parse(stored)).toEqual({ reason: 'quit by [REDACTED:pii_email:email] with [REDACTED:secret_password:assignment]' });
    expect(event.payload).toEqual(JSON.parse(stored));
  });
});

describe('a Flight Recorder write that fails', () => {
  it('answers HSK-500-DB naming the event, and the state change it would record is rolled back', () => {
    const { store } = openStore();
    const job = store.createJob({ job_kind: 'doc_edit', protocol_id: 'p' }, { capabilityProfileId: 'Analyst' });
    dbOf(store).exec("CREATE TEMP TRIGGER sink_fails BEFORE INSERT ON main.fr_events BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
    let caught: unknown;
    try {
      store.transitionJob(job.job_id, 'cancelled', 'operator', 'stop');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HskError);
    expect(caught).toMatchObject({ code: 'HSK-500-DB', message: expect.stringContaining('job_state_changed event: disk I/O error') });
    expect(store.getJob(job.job_id).state).toBe('queued');
  });
});
