/**
 * The core rules of diagnostics: deterministic fingerprints (P-05), grouping by fingerprint,
 * link confidence, statuses as human events, raw instances that outlive their events (S23) and
 * survive a recomputed grouping, and the problems list's filters and pages.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DiagnosticDraft } from '../../src-shared/diagnostics';
import { Store } from '../store/store';
import { makeTempDir } from '../testing/temp-dir';
import { dbOf, eventsOfType, parsedJob } from '../testing/store';
import { FlightRecorder } from '../flight-recorder/recorder';
import { canonicalTuple, fingerprintOf } from './fingerprint';
import { DiagnosticTable } from './table';

const DAY = 86_400_000;

function draft(overrides: Partial<DiagnosticDraft> = {}): DiagnosticDraft {
  return {
    title: 'terminal_exec: timed out',
    message: 'sleep exceeded 100 ms',
    severity: 'error',
    source: 'engine',
    surface: 'system',
    tool: 'terminal_exec',
    code: 'timeout',
    trace_id: randomUUID(),
    ...overrides,
  };
}

function openStore(now: () => number = Date.now): Store {
  return Store.open(makeTempDir(), { now });
}

function jobOn(store: Store, traceId: string): string {
  return store.createJob(parsedJob({
    job_kind: 'doc_summarize',
    protocol_id: 'hsk.docs.summarize.v0',
    job_inputs: { doc_id: '00000000-0000-4000-8000-0000000000d0', text: 'Summarise this.' },
    trace_id: traceId,
  }), { capabilityProfileId: 'Analyst' }).job_id;
}

describe('fingerprints (DIAG-SCHEMA-003, P-05)', () => {
  it('are lowercase sha256 hex and ignore what varies between occurrences', () => {
    const base = fingerprintOf(draft());
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintOf(draft({ message: 'other text', trace_id: randomUUID(), job_id: randomUUID(), metadata: { a: 1 } }))).toBe(base);
  });

  it('normalise newlines, surrounding whitespace, path separators and location order', () => {
    const a = draft({ title: ' line one\r\nline two ', locations: [{ path: 'src\\a.ts' }, { path: 'b.ts', range: { startLine: 1, startColumn: 0, endLine: 1, endColumn: 4 } }] });
    const b = draft({ title: 'line one\nline two', locations: [{ path: 'b.ts', range: { startLine: 1, startColumn: 0, endLine: 1, endColumn: 4 } }, { path: 'src/a.ts' }] });
    expect(fingerprintOf(a)).toBe(fingerprintOf(b));
    expect(canonicalTuple(draft({ tool: undefined }))).toBe(canonicalTuple(draft({ tool: null })));
  });

  it.each<[string, Partial<DiagnosticDraft>]>([
    ['source', { source: 'terminal' }],
    ['surface', { surface: 'terminal' }],
    ['tool', { tool: 'doc_ingest' }],
    ['code', { code: 'exit_nonzero' }],
    ['severity', { severity: 'warning' }],
    ['title', { title: 'terminal_exec: executor error' }],
    ['a location range', { locations: [{ path: 'a.ts', range: { startLine: 2, startColumn: 0, endLine: 2, endColumn: 1 } }] }],
    ['capability_id', { capability_id: 'terminal.exec' }],
    ['policy_decision_id', { policy_decision_id: 'pd-1' }],
  ])('change with %s', (_field, change) => {
    expect(fingerprintOf(draft(change))).not.toBe(fingerprintOf(draft()));
  });
});

describe('recordDiagnostic', () => {
  it('stores the instance, its problem and its diagnostic event together, or none of them', () => {
    const store = openStore();
    const recorded = store.recordDiagnostic(draft());
    expect(store.getDiagnostic(recorded.id)).toEqual(recorded);
    expect(eventsOfType(store, 'diagnostic').map((e) => e.payload)).toEqual([
      { diagnostic_id: recorded.id, fingerprint: recorded.fingerprint, severity: 'error', source: 'engine' },
    ]);
    expect(() =>
      store.transaction(() => {
        store.recordDiagnostic(draft({ title: 'rolled back' }));
        throw new Error('caller fails after recording');
      }),
    ).toThrow('caller fails');
    expect(store.listProblems({}).items.map((p) => p.title)).toEqual(['terminal_exec: timed out']);
    expect(eventsOfType(store, 'diagnostic')).toHaveLength(1);
  });

  it('groups the same failure: count, first and last seen; each raw instance stays queryable by id', () => {
    let now = Date.UTC(2026, 0, 1);
    const store = openStore(() => now);
    const first = store.recordDiagnostic(draft());
    now += 60_000;
    const second = store.recordDiagnostic(draft({ message: 'a different run' }));
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(store.getProblem(first.fingerprint)).toMatchObject({
      count: 2,
      first_seen: '2026-01-01T00:00:00.000Z',
      last_seen: '2026-01-01T00:01:00.000Z',
      latest_diagnostic_id: second.id,
      latest_message: 'a different run',
    });
    expect(store.getDiagnostic(first.id).message).toBe('sleep exceeded 100 ms');
  });

  it('links with the confidence it has: direct, inferred, ambiguous (candidates listed), unlinked', () => {
    const store = openStore();
    const direct = store.recordDiagnostic(draft({ job_id: jobOn(store, randomUUID()) }));
    const oneTrace = randomUUID();
    const onlyJob = jobOn(store, oneTrace);
    const inferred = store.recordDiagnostic(draft({ trace_id: oneTrace }));
    const sharedTrace = randomUUID();
    const candidates = [jobOn(store, sharedTrace), jobOn(store, sharedTrace)];
    const ambiguous = store.recordDiagnostic(draft({ trace_id: sharedTrace, job_id: randomUUID() }));
    const unlinked = store.recordDiagnostic(draft());
    expect(direct).toMatchObject({ link_confidence: 'direct', job_id: expect.any(String) });
    expect(inferred).toMatchObject({ link_confidence: 'inferred', job_id: null, evidence_refs: { related_job_ids: [onlyJob] } });
    expect(ambiguous).toMatchObject({ link_confidence: 'ambiguous', job_id: null });
    expect([...ambiguous.evidence_refs.related_job_ids].sort()).toEqual([...candidates].sort());
    expect(ambiguous.link_explanation).toMatch(/does not exist; 2 jobs share trace/);
    expect(unlinked).toMatchObject({ link_confidence: 'unlinked', job_id: null, evidence_refs: { related_job_ids: [] } });
  });

  it('refuses hand-written UPDATE and DELETE of raw instances, and values outside the vocabularies', () => {
    const store = openStore();
    store.recordDiagnostic(draft());
    const db = dbOf(store);
    expect(() => db.prepare("UPDATE diagnostics SET title = 'edited'").run()).toThrow(/never changed/);
    expect(() => db.prepare('DELETE FROM diagnostics').run()).toThrow(/kept at least as long/);
    expect(() => db.prepare("UPDATE problems SET status = 'snoozed'").run()).toThrow(/constraint/i);
    expect(() => db.prepare("INSERT INTO diagnostics SELECT 'x', fingerprint, title, message, 'urgent', source, surface, tool, code, tags, wsid, job_id, model_id, actor, capability_id, policy_decision_id, locations, evidence_refs, link_confidence, link_explanation, trace_id, timestamp, metadata FROM diagnostics").run()).toThrow(/constraint/i);
  });
});

describe('problem statuses', () => {
  it('records each change as a problem_status_changed event with actor human', () => {
    const store = openStore();
    const { fingerprint } = store.recordDiagnostic(draft());
    expect(store.setProblemStatus(fingerprint, 'acknowledged', 'looking into it').status).toBe('acknowledged');
    expect(store.setProblemStatus(fingerprint, 'muted', 'known flake').status).toBe('muted');
    const changes = eventsOfType(store, 'problem_status_changed');
    expect(changes.map((e) => [e.actor, e.payload.from_status, e.payload.to_status, e.payload.reason])).toEqual([
      ['human', 'open', 'acknowledged', 'looking into it'],
      ['human', 'acknowledged', 'muted', 'known flake'],
    ]);
  });

  it('reopens a resolved problem when it recurs (actor system), and leaves a muted one muted', () => {
    const store = openStore();
    const resolved = store.recordDiagnostic(draft()).fingerprint;
    const muted = store.recordDiagnostic(draft({ code: 'other' })).fingerprint;
    store.setProblemStatus(resolved, 'resolved', 'fixed');
    store.setProblemStatus(muted, 'muted', 'noise');
    store.recordDiagnostic(draft());
    store.recordDiagnostic(draft({ code: 'other' }));
    expect(store.getProblem(resolved).status).toBe('open');
    expect(store.getProblem(muted).status).toBe('muted');
    expect(eventsOfType(store, 'problem_status_changed').at(-1)).toMatchObject({ actor: 'system', payload: { from_status: 'resolved', to_status: 'open', reason: 'recurred' } });
  });

  it('refuses a status change of a problem that does not exist with HSK-404 and writes nothing', () => {
    const store = openStore();
    expect(() => store.setProblemStatus('f'.repeat(64), 'muted', 'x')).toThrow(expect.objectContaining({ code: 'HSK-404-NOT-FOUND' }));
    expect(eventsOfType(store, 'problem_status_changed')).toEqual([]);
  });
});

describe('raw instances (S23)', () => {
  it('outlive the retention purge of the events that reference them', () => {
    let now = Date.UTC(2026, 0, 1);
    const store = openStore(() => now);
    const recorded = store.recordDiagnostic(draft());
    now += 40 * DAY;
    expect(store.purgeEvents(30, randomUUID())).toBeGreaterThan(0);
    expect(eventsOfType(store, 'diagnostic')).toEqual([]);
    expect(store.getDiagnostic(recorded.id)).toEqual(recorded);
  });

  it('survive a recomputed grouping, which restores counts and keeps statuses', () => {
    const store = openStore();
    const ids = [store.recordDiagnostic(draft()).id, store.recordDiagnostic(draft()).id, store.recordDiagnostic(draft({ code: 'x' })).id];
    const fingerprint = store.getDiagnostic(ids[0]!).fingerprint;
    store.setProblemStatus(fingerprint, 'acknowledged', 'seen');
    dbOf(store).prepare('UPDATE problems SET count = 1').run();
    expect(store.rebuildProblems()).toBe(2);
    expect(store.getProblem(fingerprint)).toMatchObject({ count: 2, status: 'acknowledged', latest_diagnostic_id: ids[1] });
    for (const id of ids) expect(store.getDiagnostic(id).id).toBe(id);
  });
});

describe('listProblems', () => {
  it('filters by severity, source, surface, status, job and time, newest first, in keyset pages', () => {
    let now = Date.UTC(2026, 0, 1);
    const store = openStore(() => now);
    const job = jobOn(store, randomUUID());
    const at = (minutes: number, change: Partial<DiagnosticDraft>) => {
      now = Date.UTC(2026, 0, 1) + minutes * 60_000;
      return store.recordDiagnostic(draft(change)).fingerprint;
    };
    const fatal = at(1, { severity: 'fatal', code: 'a' });
    const warning = at(2, { severity: 'warning', source: 'validator', code: 'b' });
    const ofJob = at(3, { code: 'c', job_id: job, surface: 'terminal' });
    const late = at(10, { code: 'd' });
    const titles = (query: Parameters<Store['listProblems']>[0]) => store.listProblems(query).items.map((p) => p.fingerprint);
    expect(titles({})).toEqual([late, ofJob, warning, fatal]);
    expect(titles({ severity: ['fatal', 'error'] })).toEqual([late, ofJob, fatal]);
    expect(titles({ source: ['validator'] })).toEqual([warning]);
    expect(titles({ surface: ['terminal'] })).toEqual([ofJob]);
    expect(titles({ job_id: job })).toEqual([ofJob]);
    expect(titles({ from: Date.UTC(2026, 0, 1, 0, 2), to: Date.UTC(2026, 0, 1, 0, 3) })).toEqual([ofJob, warning]);
    store.setProblemStatus(late, 'muted', 'noise');
    expect(titles({ status: ['open'] })).toEqual([ofJob, warning, fatal]);

    const first = store.listProblems({ limit: 3 });
    const second = store.listProblems({ limit: 3, cursor: first.next_cursor! });
    expect([...first.items, ...second.items].map((p) => p.fingerprint)).toEqual([late, ofJob, warning, fatal]);
    expect(second.next_cursor).toBeNull();
    expect(() => store.listProblems({ cursor: 'bm9wZQ' })).toThrow(expect.objectContaining({ code: 'HSK-400-INVALID-INPUT' }));
  });
});

describe('recordMany (the batches of startup recovery)', () => {
  it('stores what recording one by one stores, with each problem counted once per batch', () => {
    let now = Date.UTC(2026, 0, 1);
    const store = openStore(() => now);
    const db = dbOf(store);
    const recorder = new FlightRecorder(db, () => now);
    const table = new DiagnosticTable(db, (event) => recorder.record(event), () => now);
    const resolved = store.recordDiagnostic(draft()).fingerprint;
    store.setProblemStatus(resolved, 'resolved', 'fixed');
    now += 60_000;
    const ids = db.transaction(() => table.recordMany([draft({ message: 'a' }), draft({ code: 'other' }), draft({ message: 'c' })]))();

    expect(ids).toHaveLength(3);
    expect(store.getProblem(resolved)).toMatchObject({
      count: 3,
      status: 'open',
      first_seen: '2026-01-01T00:00:00.000Z',
      last_seen: '2026-01-01T00:01:00.000Z',
      latest_diagnostic_id: ids[2],
      latest_message: 'c',
    });
    expect(store.getProblem(fingerprintOf(draft({ code: 'other' })))).toMatchObject({
      count: 1,
      first_seen: '2026-01-01T00:01:00.000Z',
      latest_diagnostic_id: ids[1],
    });
    expect(eventsOfType(store, 'diagnostic').slice(-3).map((event) => event.payload.diagnostic_id)).toEqual(ids);
    expect(eventsOfType(store, 'problem_status_changed').filter((event) => event.payload.reason === 'recurred')).toHaveLength(1);
    expect(ids.map((id) => store.getDiagnostic(id).message)).toEqual(['a', 'sleep exceeded 100 ms', 'c']);
  });
});
