import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ACCESS_MODES,
  ACTORS,
  CONSENT_DECISIONS,
  CONSENT_SOURCES,
  EXECUTION_MODES,
  JOB_KINDS,
  JOB_STATES,
  NODE_STATUSES,
  RUN_STATUSES,
  SAFETY_MODES,
} from '../../src-shared/enums';
import { EVENT_TYPES } from '../../src-shared/events';
import { DIAGNOSTIC_SEVERITIES, DIAGNOSTIC_SURFACES, LINK_CONFIDENCES, PROBLEM_STATUSES } from '../../src-shared/diagnostics';
import { IMMUTABLE_JOB_FIELDS, zeroMetrics } from '../../src-shared/job';
import { Store } from '../store/store';
import { makeTempDir } from '../testing/temp-dir';
import { count, dbOf } from '../testing/store';

function openStore(): Store {
  return Store.open(makeTempDir());
}

/** A valid ai_jobs row; each test damages one column. */
function jobRow(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    job_id: randomUUID(),
    trace_id: randomUUID(),
    job_kind: 'doc_edit',
    status: 'queued',
    status_reason: 'queued',
    protocol_id: 'p',
    profile_id: 'default',
    capability_profile_id: 'cap',
    access_mode: 'analysis_only',
    safety_mode: 'normal',
    entity_refs: '[]',
    planned_operations: '[]',
    metrics: JSON.stringify(zeroMetrics()),
    job_inputs: null,
    created_at: 1,
    updated_at: 1,
    flight_recorder_span_id: randomUUID(),
    ...overrides,
  };
}

function insertJob(store: Store, row: Record<string, unknown>): void {
  const columns = Object.keys(row);
  dbOf(store)
    .prepare(`INSERT INTO ai_jobs (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`)
    .run(row);
}

function insertEvent(store: Store, overrides: Record<string, unknown> = {}): void {
  dbOf(store)
    .prepare(
      `INSERT INTO fr_events (event_id, type, timestamp, actor, actor_id, trace_id, payload)
       VALUES (@event_id, @type, 1, @actor, 'x', @trace_id, @payload)`,
    )
    .run({ event_id: randomUUID(), type: 'app_stopped', actor: 'system', trace_id: randomUUID(), payload: '{"reason":"r"}', ...overrides });
}

const metricsWith = (change: (m: Record<string, unknown>) => void): string => {
  const metrics: Record<string, unknown> = zeroMetrics();
  change(metrics);
  return JSON.stringify(metrics);
};

describe('ai_jobs constraints (hand-written SQL)', () => {
  it('accepts a valid row, so the refusals below are about the damaged column', () => {
    const store = openStore();
    insertJob(store, jobRow());
    expect(count(store, 'ai_jobs')).toBe(1);
    store.close();
  });

  it.each([
    ['an unknown kind', { job_kind: 'doc_test' }],
    ['the alias term_exec', { job_kind: 'term_exec' }],
    ['governance_pack_export', { job_kind: 'governance_pack_export' }],
    ['a kind in another case', { job_kind: 'Doc_Edit' }],
    ['an unknown state', { status: 'paused' }],
    ['an unknown access mode', { access_mode: 'write_all' }],
    ['an unknown safety mode', { safety_mode: 'yolo' }],
    ['NULL metrics', { metrics: null }],
    ['metrics missing a key', { metrics: metricsWith((m) => delete m.validators_run_count) }],
    ['metrics with an extra key', { metrics: metricsWith((m) => (m.cost_usd = 0)) }],
    ['a negative metric', { metrics: metricsWith((m) => (m.total_tokens = -1)) }],
    ['a fractional metric', { metrics: metricsWith((m) => (m.duration_ms = 1.5)) }],
    ['a string metric', { metrics: metricsWith((m) => (m.duration_ms = '1')) }],
    ['metrics that are an array', { metrics: '[]' }],
    ['metrics that are not JSON', { metrics: '{duration_ms: 0' }],
    ['invalid JSON in entity_refs', { entity_refs: '[{' }],
    ['an object in entity_refs', { entity_refs: '{}' }],
    ['invalid JSON in planned_operations', { planned_operations: 'nope' }],
    ['invalid JSON in job_inputs', { job_inputs: '{"a":' }],
    ['invalid JSON in job_outputs', { job_outputs: "{'a': 1}" }],
    ['a NULL kind', { job_kind: null }],
    ['a NULL state', { status: null }],
    ['a text timestamp (STRICT)', { created_at: 'yesterday' }],
    ['an unknown execution mode', { execution_mode: 'parallel' }],
    ['an unknown consent decision', { consent_decision: 'maybe' }],
    ['an unknown consent source', { consent_decision: 'granted', consent_source: 'the_intern', consent_decided_at: 1 }],
    ['a granted consent that names nobody', { consent_decision: 'granted' }],
    ['a pending consent that names a source', { consent_decision: 'pending', consent_source: 'operator', consent_decided_at: 1 }],
    ['a task_schema_version that is not SemVer', { task_schema_version: 'latest' }],
    ['a NULL task_schema_version', { task_schema_version: null }],
    ['a span id that is not a UUID', { flight_recorder_span_id: 'span-1' }],
    ['a layer_scope with an unknown layer', { layer_scope: '{"read":["raw"],"write":["everything"]}' }],
    ['a layer_scope without write', { layer_scope: '{"read":["raw"]}' }],
    ['a layer_scope with an extra key', { layer_scope: '{"read":[],"write":["derived"],"admin":true}' }],
    ['a layer_scope that is not JSON', { layer_scope: 'derived' }],
  ])('refuses %s', (_label, overrides) => {
    const store = openStore();
    expect(() => insertJob(store, jobRow(overrides))).toThrow(/constraint|cannot store|consent|UUID/i);
    expect(count(store, 'ai_jobs')).toBe(0);
    store.close();
  });

  it('gives a row inserted without metrics the zeroed metrics object', () => {
    const store = openStore();
    const row = jobRow();
    delete row.metrics;
    insertJob(store, row);
    const stored = dbOf(store).prepare('SELECT metrics FROM ai_jobs WHERE job_id = ?').get(row.job_id) as { metrics: string };
    expect(JSON.parse(stored.metrics)).toEqual(zeroMetrics());
    store.close();
  });
});

const GUARDED_CHANGES: Array<[string, string]> = [
  ['profile_id', 'other'],
  ['capability_profile_id', 'Coder'],
  ['layer_scope', '{"read":["raw"],"write":["raw"]}'],
  ['task_schema_version', '2.0.0'],
  ['workspace_scope', 'elsewhere'],
  ['execution_mode', 'multi_step'],
  ['consent_profile_id', 'hsk.consent.none.v0'],
  ['flight_recorder_span_id', '00000000-0000-4000-8000-000000000000'],
];

describe('the JobBoundaryRoutingGuard (hand-written SQL)', () => {
  it('covers exactly the fields src-shared declares immutable', () => {
    expect(GUARDED_CHANGES.map(([column]) => column)).toEqual([...IMMUTABLE_JOB_FIELDS]);
  });

  it.each(GUARDED_CHANGES)('refuses any change of %s after creation and keeps the stored value', (column, value) => {
    const store = openStore();
    const row = jobRow();
    insertJob(store, row);
    const before = dbOf(store).prepare(`SELECT ${column} AS v FROM ai_jobs`).get() as { v: unknown };
    expect(() => dbOf(store).prepare(`UPDATE ai_jobs SET ${column} = ?`).run(value)).toThrow(/cannot change after a job is created/);
    expect(dbOf(store).prepare(`SELECT ${column} AS v FROM ai_jobs`).get()).toEqual(before);
    store.close();
  });

  it('gives a row inserted without the new fields the explicit defaults (write derived only)', () => {
    const store = openStore();
    insertJob(store, jobRow());
    const row = dbOf(store).prepare('SELECT task_schema_version, workspace_scope, execution_mode, runtime_id, consent_decision, layer_scope FROM ai_jobs').get();
    expect(row).toEqual({
      task_schema_version: '1.0.0',
      workspace_scope: 'default',
      execution_mode: 'single_step',
      runtime_id: 'unassigned',
      consent_decision: 'not_required',
      layer_scope: '{"read":["raw","derived","display"],"write":["derived"]}',
    });
    store.close();
  });
});

describe('fr_events constraints', () => {
  it.each([
    ['an unknown actor', { actor: 'robot' }],
    ['an unknown event type', { type: 'job_teleported' }],
    ['a payload that is not an object', { payload: '[1]' }],
    ['a payload that is not JSON', { payload: 'reason=r' }],
  ])('refuses %s', (_label, overrides) => {
    const store = openStore();
    expect(() => insertEvent(store, overrides)).toThrow(/constraint/i);
    expect(count(store, 'fr_events')).toBe(0);
    store.close();
  });

  it('is append-only: UPDATE and DELETE by hand are refused', () => {
    const store = openStore();
    insertEvent(store);
    expect(() => dbOf(store).prepare("UPDATE fr_events SET actor_id = 'edited'").run()).toThrow(/append-only/);
    expect(() => dbOf(store).prepare('DELETE FROM fr_events').run()).toThrow(/append-only/);
    const row = dbOf(store).prepare('SELECT actor_id FROM fr_events').get() as { actor_id: string };
    expect(row.actor_id).toBe('x');
    store.close();
  });

  it('lets the retention purge delete old events', () => {
    let now = Date.UTC(2026, 0, 1);
    const store = Store.open(makeTempDir(), { now: () => now });
    insertEvent(store);
    now += 40 * 86_400_000;
    expect(store.purgeEvents(30, randomUUID())).toBe(1);
    store.close();
  });
});

/**
 * The values a table's stored SQL allows a column: `CHECK (column IN ('a', 'b'))`, the form
 * ARCHITECTURE.md gives, or `CHECK ((column = 'a' OR column = 'b'))`, the form migration 11 gave
 * the lists it does not name.
 */
function checkList(store: Store, table: string, column: string): string[] {
  const { sql } = dbOf(store).prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) as {
    sql: string;
  };
  const list = new RegExp(`CHECK \\(${column} IN \\(([^)]*)\\)\\)`).exec(sql);
  if (list?.[1]) return list[1].split(',').map((item) => item.trim().replace(/^'|'$/g, '').replaceAll("''", "'"));
  const comparisons = new RegExp(`CHECK \\(\\((${column} = '[^']*'(?: OR ${column} = '[^']*')*)\\)`).exec(sql);
  if (!comparisons?.[1]) throw new Error(`no CHECK list for ${table}.${column}`);
  return comparisons[1].split(' OR ').map((item) => item.slice(`${column} = '`.length, -1));
}

/**
 * The vocabularies the database enforces. Migrations hold literal lists (frozen history), so when
 * an enum in src-shared changes, this fails until a new migration brings the schema's lists level.
 */
const SHARED_ENUMS: Record<string, readonly string[]> = {
  'ai_jobs.job_kind': JOB_KINDS,
  'ai_jobs.status': JOB_STATES,
  'ai_jobs.access_mode': ACCESS_MODES,
  'ai_jobs.safety_mode': SAFETY_MODES,
  'ai_jobs.execution_mode': EXECUTION_MODES,
  'ai_jobs.consent_decision': CONSENT_DECISIONS,
  'ai_jobs.consent_source': CONSENT_SOURCES,
  'workflow_runs.status': RUN_STATUSES,
  'workflow_node_executions.status': NODE_STATUSES,
  'fr_events.actor': ACTORS,
  'fr_events.type': EVENT_TYPES,
  'diagnostics.severity': DIAGNOSTIC_SEVERITIES,
  'diagnostics.surface': DIAGNOSTIC_SURFACES,
  'diagnostics.actor': ACTORS,
  'diagnostics.link_confidence': LINK_CONFIDENCES,
  'problems.severity': DIAGNOSTIC_SEVERITIES,
  'problems.surface': DIAGNOSTIC_SURFACES,
  'problems.status': PROBLEM_STATUSES,
};

describe('CHECK lists', () => {
  it('of the latest schema equal the shared enums exactly', () => {
    const store = openStore();
    for (const [key, values] of Object.entries(SHARED_ENUMS)) {
      const [table = '', column = ''] = key.split('.');
      expect(checkList(store, table, column), key).toEqual([...values]);
    }
    store.close();
  });

});
