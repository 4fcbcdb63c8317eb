import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JOB_KINDS } from '../../src-shared/enums';
import { openCore } from '../core/open-core';
import type { HandshakeCore } from '../core/types';
import { seed } from './seed';

let dataDir = '';
let core: HandshakeCore | null = null;
afterEach(async () => {
  await core?.close('test over');
  core = null;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('seed', () => {
  it('makes history of every kind and state through the engine, with interrupted runs that the next start stalls', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-seed-'));
    const summary = await seed(dataDir, 50);
    expect(summary.jobs).toBe(50);
    expect(Object.keys(summary.byKind).sort()).toEqual([...JOB_KINDS].sort());
    for (const state of ['queued', 'running', 'awaiting_validation', 'awaiting_user', 'completed', 'completed_with_issues', 'failed', 'cancelled', 'poisoned']) {
      expect(summary.byState[state], state).toBeGreaterThan(0);
    }

    core = await openCore({ dataDir, host: 'browser', version: 'test', modelRuntime: 'none', startEngine: false });
    await core.recoveryDone;
    const stalled = await core.handlers['jobs.list']({ state: ['stalled'] });
    expect(stalled.items).toHaveLength(summary.interruptedRuns);
    const queued = await core.handlers['jobs.list']({ state: ['queued'] });
    expect(queued.items).toHaveLength(summary.byState.queued!);
    const model = await core.handlers['events.list']({ type: ['llm_inference'], limit: 5 });
    expect(model.items.every((event) => event.model_id === 'mock:demo')).toBe(true);
  });
});

describe('npm run seed without --data-dir', () => {
  it('refuses in one line and writes nothing, not even into the desktop data dir', () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-seed-home-'));
    const env = { ...process.env, HOME: dataDir, XDG_CONFIG_HOME: path.join(dataDir, '.config'), HANDSHAKE_DATA_DIR: '' };
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'seed.ts')], { encoding: 'utf8', env });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      "seed: refusing to write demo history without --data-dir (the default data dir holds the desktop app's real jobs); Usage: npm run seed -- --data-dir DIR [--jobs N]   (N >= 8, default 60)",
    ]);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });
});

/** Rows breaking one of the seed's time invariants; each query names what it checks. */
const INCONSISTENCIES: Record<string, string> = {
  'event outside its job': `SELECT e.event_id FROM fr_events e JOIN ai_jobs j ON j.job_id = e.job_id
    WHERE e.timestamp < j.created_at OR e.timestamp > coalesce(j.completed_at, j.updated_at)`,
  'event outside its run': `SELECT e.event_id FROM fr_events e JOIN workflow_runs r ON r.workflow_run_id = e.workflow_run_id
    WHERE e.timestamp < r.created_at OR e.timestamp > coalesce(r.finished_at, r.updated_at)`,
  'heartbeat outside its run': `SELECT workflow_run_id FROM workflow_runs
    WHERE last_heartbeat < created_at OR last_heartbeat > coalesce(finished_at, updated_at)`,
  'node outside its run': `SELECT n.node_execution_id FROM workflow_node_executions n JOIN workflow_runs r USING (workflow_run_id)
    WHERE n.started_at < r.created_at OR coalesce(n.finished_at, n.started_at) > coalesce(r.finished_at, r.updated_at)`,
  'job duration_ms differs from its run': `SELECT j.job_id FROM ai_jobs j JOIN workflow_runs r ON r.workflow_run_id = j.workflow_run_id
    WHERE r.finished_at IS NOT NULL AND r.attempt = 1 AND json_extract(j.metrics, '$.duration_ms') <> r.finished_at - r.created_at`,
  'run event duration_ms differs from its run': `SELECT e.event_id FROM fr_events e JOIN workflow_runs r ON r.workflow_run_id = e.workflow_run_id
    WHERE e.type = 'workflow_run_finished' AND json_extract(e.payload, '$.duration_ms') <> r.finished_at - r.created_at`,
  'node event duration_ms differs from its node': `SELECT e.event_id FROM fr_events e
    JOIN workflow_node_executions n ON n.node_execution_id = json_extract(e.payload, '$.node_execution_id')
    WHERE e.type = 'workflow_node_finished' AND json_extract(e.payload, '$.duration_ms') <> n.finished_at - n.started_at`,
};

describe('seed history', () => {
  it('keeps every time consistent: events inside their job and run, heartbeats after the start, durations equal to spans', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-seed-'));
    await seed(dataDir, 60);
    const db = new Database(path.join(dataDir, 'handshake.db'), { readonly: true });
    try {
      const broken = Object.fromEntries(Object.entries(INCONSISTENCIES).map(([what, sql]) => [what, db.prepare(sql).pluck().all()]));
      expect(broken).toEqual(Object.fromEntries(Object.keys(INCONSISTENCIES).map((what) => [what, []])));
      const spanDays = db.prepare('SELECT (max(timestamp) - min(timestamp)) / 86400000.0 FROM fr_events').pluck().get() as number;
      expect(spanDays).toBeGreaterThan(1);
      const newest = db.prepare('SELECT max(timestamp) FROM fr_events').pluck().get() as number;
      expect(Date.now() - newest).toBeGreaterThanOrEqual(2 * 60 * 1000);
    } finally {
      db.close();
    }
  });
});

describe('seed copies of live batches', () => {
  it('writes the bulk as copies of engine-made batches: new ids, consistent times, their diagnostics and artifacts', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-seed-copies-'));
    // One live batch of 20; 80 more cycle jobs are copies of it.
    const summary = await seed(dataDir, 108, 20);
    expect(summary.jobs).toBe(108);
    expect(Object.keys(summary.byKind).sort()).toEqual([...JOB_KINDS].sort());
    const db = new Database(path.join(dataDir, 'handshake.db'), { readonly: true });
    try {
      const one = (sql: string) => db.prepare(sql).pluck().get() as number;
      expect(one('SELECT count(*) FROM ai_jobs')).toBe(108);
      // Each template's job appears five times (1 live + 4 copies), each copy with its own ids.
      expect(one("SELECT count(*) FROM ai_jobs WHERE job_inputs = '{\"argv\":[\"ls\",\"no-such-directory\"]}'")).toBe(5);
      expect(one('SELECT count(DISTINCT trace_id) FROM ai_jobs')).toBe(108);
      expect(one('SELECT count(*) FROM fr_events e LEFT JOIN ai_jobs j USING (job_id) WHERE e.job_id IS NOT NULL AND j.job_id IS NULL')).toBe(0);
      expect(one('SELECT count(*) FROM workflow_runs r LEFT JOIN ai_jobs j USING (job_id) WHERE j.job_id IS NULL')).toBe(0);
      expect(one("SELECT count(*) FROM fr_events WHERE type = 'job_created'")).toBe(108);
      const broken = Object.fromEntries(Object.entries(INCONSISTENCIES).map(([what, sql]) => [what, db.prepare(sql).pluck().all()]));
      expect(broken).toEqual(Object.fromEntries(Object.keys(INCONSISTENCIES).map((what) => [what, []])));
      // The log stays in time order along seq (time windows are seq ranges).
      expect(one('SELECT count(*) FROM fr_events a JOIN fr_events b ON b.seq = a.seq + 1 WHERE b.timestamp < a.timestamp')).toBe(0);
      // Copied failures are Diagnostics too, counted into their problems.
      expect(one('SELECT sum(count) FROM problems')).toBe(one('SELECT count(*) FROM diagnostics'));
      expect(one("SELECT count(*) FROM diagnostics WHERE code = 'exit_nonzero'")).toBe(one("SELECT count(*) FROM ai_jobs WHERE status_reason = 'exit_nonzero'"));
      // A copied command's output files exist under the copy's own ids.
      const outputs = db.prepare("SELECT job_outputs FROM ai_jobs WHERE job_kind = 'terminal_exec' AND job_outputs IS NOT NULL").pluck().all() as string[];
      const refs = outputs.flatMap((text) => Object.entries((JSON.parse(text) ?? {}) as Record<string, unknown>).filter(([key]) => key.endsWith('_ref')).map(([, ref]) => String(ref)));
      expect(refs.length).toBeGreaterThan(10);
      for (const ref of refs) expect(fs.existsSync(path.join(dataDir, ref)), ref).toBe(true);
    } finally {
      db.close();
    }
    core = await openCore({ dataDir, host: 'browser', version: 'test', modelRuntime: 'none', startEngine: false });
    await core.recoveryDone;
    const listed = await core.handlers['jobs.list']({ limit: 200 });
    expect(listed.items.filter((item) => 'unsupported' in item)).toEqual([]);
    expect(listed.items).toHaveLength(108);
  });
});
