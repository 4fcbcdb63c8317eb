/**
 * Every public function of the store parses its input at the edge: malformed input is refused
 * with a stable code and nothing at all is written.
 */
import { describe, expect, it } from 'vitest';
import { HskError } from '../../src-shared/errors';
import { LIMITS } from '../../src-shared/job';
import { makeTempDir } from '../testing/temp-dir';
import { Store } from './store';

const OPTIONS = { capabilityProfileId: 'Analyst' };
const VALID_JOB = { job_kind: 'doc_edit', protocol_id: 'p' };
const MISSING_ID = '00000000-0000-4000-8000-000000000000';

interface Fixture {
  store: Store;
  jobId: string;
  runId: string;
  nodeId: string;
}

/** A store with one running job, its run and one running node, so every call has a target. */
function fixture(): Fixture {
  const store = Store.open(makeTempDir());
  const jobId = store.createJob(VALID_JOB, OPTIONS).job_id;
  const runId = store.startRun(jobId).run.workflow_run_id;
  const nodeId = store.startNode(runId, { node_id: 'n', node_type: 't', sequence: 0 }).node_execution_id;
  return { store, jobId, runId, nodeId };
}

function tableCounts(store: Store): Record<string, number> {
  const tables = ['ai_jobs', 'workflow_runs', 'workflow_node_executions', 'fr_events'] as const;
  return Object.fromEntries(tables.map((table) => [table, store.count(table)]));
}

function snapshot(store: Store): unknown {
  return ['ai_jobs', 'workflow_runs', 'workflow_node_executions', 'fr_events'].map((table) =>
    store.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all(),
  );
}

// Deliberately ill-typed calls: the store must survive callers that bypass the compiler.
type Call = (f: Fixture) => unknown;
const loose = (value: unknown) => value as never;
const long = (n: number) => 'x'.repeat(n);

const INVALID = 'HSK-400-INVALID-INPUT';
const BAD_KIND = 'HSK-400-INVALID-JOB-KIND';
const BAD_EVENT = 'HSK-400-INVALID-EVENT';

const CASES: Array<[string, string, Call]> = [
  ['createJob: null', INVALID, (f) => f.store.createJob(null, OPTIONS)],
  ['createJob: a string', INVALID, (f) => f.store.createJob('doc_edit', OPTIONS)],
  ['createJob: a numeric kind', INVALID, (f) => f.store.createJob({ ...VALID_JOB, job_kind: 7 }, OPTIONS)],
  ['createJob: an unknown kind', BAD_KIND, (f) => f.store.createJob({ ...VALID_JOB, job_kind: 'doc_test' }, OPTIONS)],
  ['createJob: governance_pack_export', BAD_KIND, (f) => f.store.createJob({ ...VALID_JOB, job_kind: 'governance_pack_export' }, OPTIONS)],
  ['createJob: a NULL kind', INVALID, (f) => f.store.createJob({ ...VALID_JOB, job_kind: null }, OPTIONS)],
  ['createJob: a missing protocol', INVALID, (f) => f.store.createJob({ job_kind: 'doc_edit' }, OPTIONS)],
  ['createJob: an empty protocol', INVALID, (f) => f.store.createJob({ ...VALID_JOB, protocol_id: '' }, OPTIONS)],
  ['createJob: an oversize protocol', INVALID, (f) => f.store.createJob({ ...VALID_JOB, protocol_id: long(LIMITS.shortText + 1) }, OPTIONS)],
  ['createJob: an unknown access mode', INVALID, (f) => f.store.createJob({ ...VALID_JOB, access_mode: 'root' }, OPTIONS)],
  ['createJob: an unknown safety mode', INVALID, (f) => f.store.createJob({ ...VALID_JOB, safety_mode: 'off' }, OPTIONS)],
  ['createJob: a state', INVALID, (f) => f.store.createJob({ ...VALID_JOB, state: 'running' }, OPTIONS)],
  ['createJob: an unknown field', INVALID, (f) => f.store.createJob({ ...VALID_JOB, priority: 1 }, OPTIONS)],
  ['createJob: a bad trace_id', INVALID, (f) => f.store.createJob({ ...VALID_JOB, trace_id: 'trace-1' }, OPTIONS)],
  ['createJob: an upper-case trace_id', INVALID, (f) => f.store.createJob({ ...VALID_JOB, trace_id: MISSING_ID.toUpperCase().replace('4000', 'ABCD') }, OPTIONS)],
  ['createJob: NaN in job_inputs', INVALID, (f) => f.store.createJob({ ...VALID_JOB, job_inputs: { n: Number.NaN } }, OPTIONS)],
  ['createJob: a Date in job_inputs', INVALID, (f) => f.store.createJob({ ...VALID_JOB, job_inputs: { at: new Date() } }, OPTIONS)],
  ['createJob: oversize job_inputs', INVALID, (f) => f.store.createJob({ ...VALID_JOB, job_inputs: long(LIMITS.jsonPayloadBytes) }, OPTIONS)],
  ['createJob: an entity ref with an unknown field', INVALID, (f) => f.store.createJob({ ...VALID_JOB, entity_refs: [{ entity_kind: 'doc', entity_id: '1', x: 1 }] }, OPTIONS)],
  ['createJob: a NULL entity_refs', INVALID, (f) => f.store.createJob({ ...VALID_JOB, entity_refs: null }, OPTIONS)],
  ['createJob: no capability profile', INVALID, (f) => f.store.createJob(VALID_JOB, loose({}))],
  ['createJob: an unknown option', INVALID, (f) => f.store.createJob(VALID_JOB, loose({ ...OPTIONS, force: true }))],
  ['createJob: an unknown actor', INVALID, (f) => f.store.createJob(VALID_JOB, loose({ ...OPTIONS, actor: 'robot' }))],
  ['createJobs: one bad job in a batch', BAD_KIND, (f) => f.store.createJobs([VALID_JOB, { ...VALID_JOB, job_kind: 'Doc_Edit' }], OPTIONS)],
  ['getJob: not a uuid', INVALID, (f) => f.store.getJob('job-1')],
  ['getJob: a number', INVALID, (f) => f.store.getJob(42)],
  ['getJob: a missing job', 'HSK-404-NOT-FOUND', (f) => f.store.getJob(MISSING_ID)],
  ['nextQueuedJobs: zero', INVALID, (f) => f.store.nextQueuedJobs(0)],
  ['nextQueuedJobs: a string', INVALID, (f) => f.store.nextQueuedJobs(loose('5'))],
  ['transitionJob: an unknown state', INVALID, (f) => f.store.transitionJob(f.jobId, loose('paused'), 'engine', 'r')],
  ['transitionJob: an unknown cause', INVALID, (f) => f.store.transitionJob(f.jobId, 'completed', loose('god'), 'r')],
  ['transitionJob: an empty reason', INVALID, (f) => f.store.transitionJob(f.jobId, 'completed', 'engine', '')],
  ['transitionJob: an oversize reason', INVALID, (f) => f.store.transitionJob(f.jobId, 'completed', 'engine', long(LIMITS.reason + 1))],
  ['transitionJob: a patch with an unknown field', INVALID, (f) => f.store.transitionJob(f.jobId, 'completed', 'engine', 'r', loose({ state: 'x' }))],
  ['transitionJob: a negative metric', INVALID, (f) => f.store.transitionJob(f.jobId, 'completed', 'engine', 'r', { metrics: { total_tokens: -1 } })],
  ['transitionJob: non-JSON outputs', INVALID, (f) => f.store.transitionJob(f.jobId, 'completed', 'engine', 'r', { job_outputs: loose({ f: () => 1 }) })],
  ['transitionJob: a missing job', 'HSK-404-NOT-FOUND', (f) => f.store.transitionJob(MISSING_ID, 'completed', 'engine', 'r')],
  ['updateMetrics: a fractional value', INVALID, (f) => f.store.updateMetrics(f.jobId, { input_tokens: 0.5 })],
  ['updateMetrics: an unknown key', INVALID, (f) => f.store.updateMetrics(f.jobId, loose({ cost: 1 }))],
  ['updateMetrics: NULL', INVALID, (f) => f.store.updateMetrics(f.jobId, loose(null))],
  ['listJobs: an unknown state', INVALID, (f) => f.store.listJobs({ state: loose(['paused']) })],
  ['listJobs: an unknown kind', BAD_KIND, (f) => f.store.listJobs({ job_kind: ['doc_test'] })],
  ['listJobs: a zero limit', INVALID, (f) => f.store.listJobs({ limit: 0 })],
  ['listJobs: a limit over the maximum', INVALID, (f) => f.store.listJobs({ limit: LIMITS.listLimitMax + 1 })],
  ['listJobs: a string limit', INVALID, (f) => f.store.listJobs({ limit: loose('1; DROP TABLE ai_jobs') })],
  ['listJobs: an unknown sort', INVALID, (f) => f.store.listJobs({ sort: loose('random') })],
  ['listJobs: an unknown field', INVALID, (f) => f.store.listJobs(loose({ status: 'queued' }))],
  ['listJobs: a garbage cursor', INVALID, (f) => f.store.listJobs({ cursor: 'not-a-cursor' })],
  ['startRun: not a uuid', INVALID, (f) => f.store.startRun('run')],
  ['getRun: not a uuid', INVALID, (f) => f.store.getRun(loose(null))],
  ['listRuns: not a uuid', INVALID, (f) => f.store.listRuns(loose(1))],
  ['heartbeat: not a uuid', INVALID, (f) => f.store.heartbeat('run')],
  ['heartbeat: a negative time', INVALID, (f) => f.store.heartbeat(f.runId, -1)],
  ['finishRun: an unknown status', INVALID, (f) => f.store.finishRun(f.runId, loose({ status: 'done', reason: 'r', jobState: 'completed', cause: 'engine' }))],
  ['finishRun: a missing reason', INVALID, (f) => f.store.finishRun(f.runId, loose({ status: 'completed', jobState: 'completed', cause: 'engine' }))],
  ['startNode: a negative sequence', INVALID, (f) => f.store.startNode(f.runId, { node_id: 'n', node_type: 't', sequence: -1 })],
  ['startNode: an oversize node id', INVALID, (f) => f.store.startNode(f.runId, { node_id: long(LIMITS.shortText + 1), node_type: 't', sequence: 1 })],
  ['finishNode: an unknown status', INVALID, (f) => f.store.finishNode(f.nodeId, loose({ status: 'queued', reason: 'r' }))],
  ['finishNode: non-JSON output', INVALID, (f) => f.store.finishNode(f.nodeId, { status: 'completed', reason: 'r', output_payload: loose(1n) })],
  ['recordEvent: an unknown type', BAD_EVENT, (f) => f.store.recordEvent({ type: 'job_moved', actor: 'system', trace_id: MISSING_ID, payload: {} })],
  ['listEvents: an unknown type', INVALID, (f) => f.store.listEvents({ type: loose(['job_moved']) })],
  ['listEvents: an unknown actor', INVALID, (f) => f.store.listEvents({ actor: loose('robot') })],
  ['listEvents: a negative limit', INVALID, (f) => f.store.listEvents({ limit: -1 })],
  ['listEvents: an unknown order', INVALID, (f) => f.store.listEvents({ order: loose('sideways') })],
  ['listEvents: a jobs cursor', INVALID, (f) => f.store.listEvents({ cursor: f.store.listJobs({ limit: 1 }).next_cursor ?? 'x' })],
];

describe('store input validation', () => {
  it.each(CASES)('%s is refused with %s and writes nothing', (_label, code, call) => {
    const f = fixture();
    const counts = tableCounts(f.store);
    const before = snapshot(f.store);
    let caught: unknown;
    try {
      call(f);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HskError);
    expect((caught as HskError).code).toBe(code);
    expect(tableCounts(f.store)).toEqual(counts);
    expect(snapshot(f.store)).toEqual(before);
    f.store.close();
  });
});
