/**
 * Parse at the edge, trust inside: every input reaches the store through a channel whose schema
 * parses it once. Malformed input is refused there with a stable code and the shared issue shape,
 * and nothing at all is written (a refused jobs.create leaves only its job_rejected audit event).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src-shared/job';
import { issuesOfDetails } from '../../src-shared/errors';
import { openCore } from '../core/open-core';
import type { HandshakeCore } from '../core/types';
import { makeTempDir } from '../testing/temp-dir';
import { createRouter, type Router } from './router';

const VALID_JOB = { job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0', job_inputs: { text: 'Fix the typos.' } };
const DOC_ID = '00000000-0000-4000-8000-0000000000d0';
const MISSING_ID = '00000000-0000-4000-8000-000000000000';
const long = (n: number) => 'x'.repeat(n);

const INVALID = 'HSK-400-INVALID-INPUT';
const BAD_KIND = 'HSK-400-INVALID-JOB-KIND';

const CASES: Array<[string, string, string, unknown]> = [
  ['jobs.create: null', 'jobs.create', INVALID, null],
  ['jobs.create: a string', 'jobs.create', INVALID, 'doc_edit'],
  ['jobs.create: a numeric kind', 'jobs.create', INVALID, { ...VALID_JOB, job_kind: 7 }],
  ['jobs.create: an unknown kind', 'jobs.create', BAD_KIND, { ...VALID_JOB, job_kind: 'doc_test' }],
  ['jobs.create: governance_pack_export', 'jobs.create', BAD_KIND, { ...VALID_JOB, job_kind: 'governance_pack_export' }],
  ['jobs.create: a case-folded kind', 'jobs.create', BAD_KIND, { ...VALID_JOB, job_kind: 'Doc_Edit' }],
  ['jobs.create: a NULL kind', 'jobs.create', INVALID, { ...VALID_JOB, job_kind: null }],
  ['jobs.create: a missing protocol', 'jobs.create', INVALID, { job_kind: 'doc_edit' }],
  ['jobs.create: an empty protocol', 'jobs.create', INVALID, { ...VALID_JOB, protocol_id: '' }],
  ['jobs.create: an oversize protocol', 'jobs.create', INVALID, { ...VALID_JOB, protocol_id: long(LIMITS.shortText + 1) }],
  ['jobs.create: an unknown access mode', 'jobs.create', INVALID, { ...VALID_JOB, access_mode: 'root' }],
  ['jobs.create: an unknown safety mode', 'jobs.create', INVALID, { ...VALID_JOB, safety_mode: 'off' }],
  ['jobs.create: a state', 'jobs.create', INVALID, { ...VALID_JOB, state: 'running' }],
  ['jobs.create: an unknown field', 'jobs.create', INVALID, { ...VALID_JOB, priority: 1 }],
  ['jobs.create: a bad trace_id', 'jobs.create', INVALID, { ...VALID_JOB, trace_id: 'trace-1' }],
  ['jobs.create: an upper-case trace_id', 'jobs.create', INVALID, { ...VALID_JOB, trace_id: MISSING_ID.toUpperCase().replace('4000', 'ABCD') }],
  ['jobs.create: oversize job_inputs', 'jobs.create', INVALID, { ...VALID_JOB, job_inputs: long(LIMITS.jsonPayloadBytes) }],
  ['jobs.create: an entity ref with an unknown field', 'jobs.create', INVALID, { ...VALID_JOB, entity_refs: [{ entity_kind: 'doc', entity_id: '1', x: 1 }] }],
  ['jobs.create: a NULL entity_refs', 'jobs.create', INVALID, { ...VALID_JOB, entity_refs: null }],
  ['jobs.create: an unregistered protocol', 'jobs.create', INVALID, { ...VALID_JOB, protocol_id: 'doc_edit.v1' }],
  ['jobs.create: an unknown protocol version', 'jobs.create', INVALID, { ...VALID_JOB, protocol_id: 'hsk.docs.edit.v7' }],
  ['jobs.create: a terminal_exec with cmd instead of argv', 'jobs.create', INVALID, { job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { cmd: 'echo x' } }],
  ['jobs.create: a doc_summarize without doc_id', 'jobs.create', INVALID, { job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', job_inputs: { text: 'x' } }],
  ['jobs.create: a doc_rewrite with a bad selection', 'jobs.create', INVALID, { job_kind: 'doc_rewrite', protocol_id: 'hsk.docs.rewrite.v0', job_inputs: { text: 'x', doc_id: DOC_ID, selection: { start_block_id: 'b1' } } }],
  ['jobs.create: a doc_ingest of an unnamed file', 'jobs.create', INVALID, { job_kind: 'doc_ingest', protocol_id: 'hsk.docs.ingest.v0', job_inputs: { path: 'a.md' } }],
  ['jobs.create: an unknown task_schema_version', 'jobs.create', INVALID, { ...VALID_JOB, task_schema_version: '9.0.0' }],
  ['jobs.create: a layer_scope writing raw', 'jobs.create', INVALID, { ...VALID_JOB, layer_scope: { read: ['raw'], write: ['raw'] } }],
  ['jobs.create: a layer_scope with an unknown layer', 'jobs.create', INVALID, { ...VALID_JOB, layer_scope: { read: ['cache'], write: ['derived'] } }],
  ['jobs.create: a bad workspace_scope', 'jobs.create', INVALID, { ...VALID_JOB, workspace_scope: '../other' }],
  ['jobs.accept: not a uuid', 'jobs.accept', INVALID, { job_id: 'job-1' }],
  ['jobs.accept: an empty reason', 'jobs.accept', INVALID, { job_id: MISSING_ID, reason: '' }],
  ['jobs.accept: an unknown field', 'jobs.accept', INVALID, { job_id: MISSING_ID, consent: true }],
  ['jobs.reject: an oversize reason', 'jobs.reject', INVALID, { job_id: MISSING_ID, reason: long(LIMITS.reason + 1) }],
  ['jobs.reject: a missing job', 'jobs.reject', 'HSK-404-NOT-FOUND', { job_id: MISSING_ID }],
  ['system.status: a non-boolean check', 'system.status', INVALID, { check_model_runtime: 'yes' }],
  ['bundles.export: an unknown scope', 'bundles.export', INVALID, { job_id: MISSING_ID, scope: 'workspace' }],
  ['jobs.get: not a uuid', 'jobs.get', INVALID, { job_id: 'job-1' }],
  ['jobs.get: a number', 'jobs.get', INVALID, { job_id: 42 }],
  ['jobs.get: a missing job', 'jobs.get', 'HSK-404-NOT-FOUND', { job_id: MISSING_ID }],
  ['jobs.cancel: an empty reason', 'jobs.cancel', INVALID, { job_id: MISSING_ID, reason: '' }],
  ['jobs.cancel: an oversize reason', 'jobs.cancel', INVALID, { job_id: MISSING_ID, reason: long(LIMITS.reason + 1) }],
  ['jobs.list: an unknown state', 'jobs.list', INVALID, { state: ['paused'] }],
  ['jobs.list: an unknown kind', 'jobs.list', BAD_KIND, { job_kind: ['doc_test'] }],
  ['jobs.list: a zero limit', 'jobs.list', INVALID, { limit: 0 }],
  ['jobs.list: a limit over the maximum', 'jobs.list', INVALID, { limit: LIMITS.listLimitMax + 1 }],
  ['jobs.list: a string limit', 'jobs.list', INVALID, { limit: '1; DROP TABLE ai_jobs' }],
  ['jobs.list: an unknown sort', 'jobs.list', INVALID, { sort: 'random' }],
  ['jobs.list: an unknown field', 'jobs.list', INVALID, { status: 'queued' }],
  ['jobs.list: a garbage cursor', 'jobs.list', INVALID, { cursor: 'not-a-cursor' }],
  ['runs.list: not a uuid', 'runs.list', INVALID, { job_id: 1 }],
  ['events.list: an unknown type', 'events.list', INVALID, { type: ['job_moved'] }],
  ['events.list: an unknown actor', 'events.list', INVALID, { actor: 'robot' }],
  ['events.list: a negative limit', 'events.list', INVALID, { limit: -1 }],
  ['events.list: an unknown order', 'events.list', INVALID, { order: 'sideways' }],
  ['events.list: a jobs cursor', 'events.list', INVALID, { cursor: Buffer.from(JSON.stringify({ kind: 'jobs', sort: 'created_at_desc', value: 1, rowid: 1 })).toString('base64url') }],
];

const TABLES = ['ai_jobs', 'workflow_runs', 'workflow_node_executions', 'fr_events'] as const;

let core: HandshakeCore | null = null;

afterEach(async () => {
  await core?.close('test');
  core = null;
});

async function fixture(): Promise<{ router: Router; snapshot: () => unknown }> {
  const dataDir = makeTempDir();
  core = await openCore({ dataDir, host: 'browser', version: '0.0.0-test', modelRuntime: 'mock', startEngine: false });
  await core.recoveryDone;
  const router = createRouter(core.handlers, { logError: () => {}, onInputRejected: core.onInputRejected });
  const created = await router.call('jobs.create', VALID_JOB);
  expect(created.ok).toBe(true);
  const reader = new Database(join(dataDir, 'handshake.db'), { readonly: true, fileMustExist: true });
  // job_rejected is the audit of a refused submission, not a write of the refused input.
  const snapshot = () =>
    TABLES.map((table) =>
      reader.prepare(`SELECT * FROM ${table} ${table === 'fr_events' ? "WHERE type <> 'job_rejected'" : ''} ORDER BY rowid`).all(),
    );
  return { router, snapshot };
}

describe('input validation at the edge', () => {
  it.each(CASES)('%s is refused with its code and writes nothing', async (_label, channel, code, input) => {
    const { router, snapshot } = await fixture();
    const before = snapshot();
    const answer = await router.call(channel, input);
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.code).toBe(code);
    if (code !== 'HSK-404-NOT-FOUND') {
      // Every input error carries the shared issue shape, naming where the input was wrong.
      const issues = issuesOfDetails(answer.error.details);
      expect(issues.length).toBeGreaterThan(0);
      for (const issue of issues) {
        expect(issue).toMatchObject({ path: expect.any(String), code: expect.any(String), message: expect.any(String) });
        expect(Object.keys(issue).filter((key) => !['path', 'code', 'message', 'unknown_fields', 'accepted_fields'].includes(key))).toEqual([]);
      }
    }
    expect(snapshot()).toEqual(before);
  });
});
