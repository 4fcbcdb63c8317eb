import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { zeroMetrics } from '../../../src-shared/job';
import { migrate } from '../migrate';
import { migration0001 } from './0001-initial';
import { migration0006 } from './0006-job-model-fields';

/** A database exactly as version 1 left it, with jobs written before migration 6 existed. */
function version1Database(): Database.Database {
  const db = new Database(':memory:');
  migrate(db, [migration0001]);
  const insert = db.prepare(`INSERT INTO ai_jobs (job_id, trace_id, workflow_run_id, job_kind, status, status_reason, protocol_id,
    profile_id, capability_profile_id, access_mode, safety_mode, metrics, job_inputs, created_at, updated_at)
    VALUES (@job_id, @trace_id, @run, @kind, @status, 'x', 'p', 'default', 'Coder', 'apply_scoped', 'normal', @metrics, @inputs, 1, 1)`);
  const rows = [
    { job_id: '00000000-0000-4000-8000-000000000001', kind: 'terminal_exec', status: 'stalled', run: '00000000-0000-4000-8000-0000000000a1', inputs: '{"argv":["make"]}' },
    { job_id: '00000000-0000-4000-8000-000000000002', kind: 'workflow_run', status: 'queued', run: null, inputs: '{"steps":[{"kind":"terminal_exec","inputs":{"argv":["ls"]}}]}' },
    { job_id: '00000000-0000-4000-8000-000000000003', kind: 'doc_summarize', status: 'completed', run: '00000000-0000-4000-8000-0000000000a3', inputs: '{"text":"t"}' },
  ];
  for (const row of rows) insert.run({ ...row, trace_id: row.job_id, metrics: JSON.stringify(zeroMetrics()) });
  return db;
}

type Row = Record<string, unknown>;
const columns = 'job_id, task_schema_version, workspace_scope, execution_mode, runtime_id, flight_recorder_span_id, consent_profile_id, consent_decision, consent_source, layer_scope';

describe('migration 6 (job model fields)', () => {
  it('gives every older row explicit values, never NULL, and no consent that was never given', () => {
    const db = version1Database();
    migrate(db, [migration0001, migration0006]);
    const rows = db.prepare(`SELECT ${columns} FROM ai_jobs ORDER BY job_id`).all() as Row[];
    expect(rows.map((row) => [row.job_id, row.execution_mode, row.runtime_id, row.consent_profile_id, row.consent_decision])).toEqual([
      ['00000000-0000-4000-8000-000000000001', 'single_step', 'unrecorded', 'hsk.consent.terminal_exec.v0', 'not_recorded'],
      ['00000000-0000-4000-8000-000000000002', 'multi_step', 'unassigned', 'hsk.consent.terminal_exec.v0', 'not_recorded'],
      ['00000000-0000-4000-8000-000000000003', 'single_step', 'unrecorded', 'hsk.consent.none.v0', 'not_required'],
    ]);
    for (const row of rows) {
      expect(row).toMatchObject({ task_schema_version: '1.0.0', workspace_scope: 'default', flight_recorder_span_id: row.job_id, consent_source: null });
      expect(JSON.parse(row.layer_scope as string)).toEqual({ read: ['raw', 'derived', 'display'], write: ['derived'] });
    }
    db.close();
  });

  it('refuses, after migrating, a changed layer_scope or capability profile of an older row', () => {
    const db = version1Database();
    migrate(db, [migration0001, migration0006]);
    expect(() => db.prepare(`UPDATE ai_jobs SET layer_scope = '{"read":[],"write":["raw"]}'`).run()).toThrow(/cannot change/);
    expect(() => db.prepare(`UPDATE ai_jobs SET capability_profile_id = 'Operator'`).run()).toThrow(/cannot change/);
    expect(db.prepare('SELECT DISTINCT capability_profile_id AS p FROM ai_jobs').all()).toEqual([{ p: 'Coder' }]);
    db.close();
  });
});
