/**
 * store.createJobs, the set-based batch path: each job checked before anything is written, rows
 * and job_created events in multi-row inserts, records mapped from what was written.
 */
import { describe, expect, it } from 'vitest';
import type { JobKind } from '../../src-shared/enums';
import type { NewJob } from '../../src-shared/job';
import { validateEvent } from '../flight-recorder/recorder';
import { errorOf } from '../testing/errors';
import { count, dbOf, eventsOfType } from '../testing/store';
import { makeTempDir } from '../testing/temp-dir';
import { PENDING_CONSENT } from './jobs';
import { Store, type StoreChange } from './store';

const OPTIONS = { capabilityProfileId: 'Analyst' };
const TRACE = '0193a1f2-4b5c-7d6e-8f90-a1b2c3d4e5f1';

function openStore(): Store {
  return Store.open(makeTempDir(), { now: () => Date.UTC(2026, 0, 1) });
}

function snapshot(store: Store): unknown {
  return ['ai_jobs', 'fr_events', 'job_state_counts', 'job_search_pending'].map((table) => dbOf(store).prepare(`SELECT * FROM ${table}`).all());
}

/** Jobs using every field a caller may set, and both consent profiles. */
const VARIED: NewJob[] = [
  { job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0' },
  {
    job_kind: 'doc_ingest',
    protocol_id: 'hsk.docs.ingest.v0',
    profile_id: 'reader',
    access_mode: 'preview_only',
    safety_mode: 'strict',
    entity_refs: [{ entity_kind: 'file', entity_id: 'notes.md', selector: 'all' }],
    planned_operations: [{ op_type: 'read', target: { entity_kind: 'file', entity_id: 'notes.md' }, description: 'read it' }],
    job_inputs: { path: 'notes.md' },
    trace_id: TRACE,
    task_schema_version: '1.0.0',
    workspace_scope: 'team.a',
    layer_scope: { read: ['raw'], write: ['raw', 'derived'] },
  },
  { job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['echo', 'hi'] } },
  { job_kind: 'workflow_run', protocol_id: 'hsk.workflow.v0', job_inputs: { steps: [{ kind: 'terminal_exec', inputs: { argv: ['true'] } }] } },
];

describe('store.createJobs', () => {
  it('refuses a batch with one bad job, naming its index, and writes nothing', () => {
    const store = openStore();
    const before = snapshot(store);
    const badKind = errorOf(() =>
      store.createJobs([VARIED[0]!, VARIED[1]!, { job_kind: 'doc_test' as JobKind, protocol_id: 'p' }], OPTIONS),
    );
    expect(badKind.code).toBe('HSK-400-INVALID-JOB-KIND');
    expect(badKind.message).toContain('jobs[2].job_kind');
    expect((badKind.details as { issues: Array<{ path: string }> }).issues.map((issue) => issue.path)).toEqual(['jobs[2].job_kind']);

    const badTrace = errorOf(() => store.createJobs([VARIED[0]!, { ...VARIED[0]!, trace_id: 'not-a-uuid' }], OPTIONS));
    expect(badTrace.code).toBe('HSK-400-INVALID-INPUT');
    expect(badTrace.message).toContain('jobs[1].trace_id');
    const badMode = errorOf(() => store.createJobs([{ ...VARIED[0]!, access_mode: 'root' as never }], OPTIONS));
    expect(badMode.message).toContain('jobs[0].access_mode');
    expect(snapshot(store)).toEqual(before);
    store.close();
  });

  it('stores a job that spells the alias term_exec as terminal_exec and records the spelling', () => {
    const store = openStore();
    const [job] = store.createJobs([{ job_kind: 'term_exec' as JobKind, protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['true'] } }], OPTIONS);
    expect(job!.job_kind).toBe('terminal_exec');
    expect(dbOf(store).prepare('SELECT job_kind FROM ai_jobs').pluck().all()).toEqual(['terminal_exec']);
    expect(eventsOfType(store, 'job_created', job!.job_id)[0]?.payload).toMatchObject({ job_kind: 'terminal_exec', submitted_job_kind: 'term_exec' });
    store.close();
  });

  it('returns exactly the records a read of the stored rows gives', () => {
    const store = openStore();
    const consent = (job: NewJob) => (job.job_kind === 'terminal_exec' ? { ...OPTIONS, consent: PENDING_CONSENT } : OPTIONS);
    const jobs = store.createJobs(VARIED, consent);
    expect(jobs.map((job) => job.job_kind)).toEqual(VARIED.map((job) => job.job_kind));
    expect(jobs).toEqual(jobs.map((job) => store.getJob(job.job_id)));
    expect(jobs[1]!.trace_id).toBe(TRACE);
    expect(jobs.map((job) => job.consent_profile_id)).toEqual(['hsk.consent.none.v0', 'hsk.consent.none.v0', 'hsk.consent.terminal_exec.v0', 'hsk.consent.terminal_exec.v0']);
    store.close();
  });

  it('writes one valid job_created event per job, in several statements, with the seq each was stored under', () => {
    const store = openStore();
    const changes: StoreChange[] = [];
    store.onChange((change) => changes.push(change));
    const inputs = Array.from({ length: 150 }, (_, i): NewJob => ({ job_kind: 'doc_summarize', protocol_id: 'bench.v1', job_inputs: { n: i } }));
    const jobs = store.createJobs(inputs, OPTIONS);

    const stored = eventsOfType(store, 'job_created');
    expect(stored.map((event) => event.job_id)).toEqual(jobs.map((job) => job.job_id));
    for (const event of stored) {
      expect(() => validateEvent({ type: event.type, actor: event.actor, trace_id: event.trace_id, job_id: event.job_id, payload: event.payload })).not.toThrow();
      expect(event.payload.span_id).toBe(jobs.find((job) => job.job_id === event.job_id)!.flight_recorder_span_id);
    }
    const announced = changes.flatMap((change) => (change.kind === 'event' ? [change.event] : []));
    expect(announced).toEqual(stored);
    expect(changes.filter((change) => change.kind === 'job').map((change) => (change.kind === 'job' ? change.job : null))).toEqual(jobs);
    // The triggers fired for every row: per-state counts and the search backlog.
    expect(dbOf(store).prepare("SELECT n FROM job_state_counts WHERE job_kind = 'doc_summarize' AND status = 'queued'").pluck().get()).toBe(150);
    expect(store.searchIndexLag()).toBe(150);
    expect(count(store, 'ai_jobs')).toBe(150);
    store.close();
  });

  it('tells listeners nothing of a refused batch', () => {
    const store = openStore();
    const changes: StoreChange[] = [];
    store.onChange((change) => changes.push(change));
    // Valid jobs, but the log refuses writes: the whole batch rolls back.
    dbOf(store).exec("CREATE TRIGGER no_events BEFORE INSERT ON fr_events BEGIN SELECT RAISE(ABORT, 'log down'); END");
    expect(errorOf(() => store.createJobs(VARIED, OPTIONS)).code).toBe('HSK-500-DB');
    expect(changes).toEqual([]);
    expect(count(store, 'ai_jobs')).toBe(0);
    store.close();
  });

  it('redacts a secret in a batch job before its job_created event is stored', () => {
    const store = openStore();
    const secret = 'sk-proj-CanaryOpenAi0123456789abcdef';
    store.createJobs([{ job_kind: 'doc_edit', protocol_id: secret }], OPTIONS);
    const payloads = dbOf(store).prepare('SELECT payload FROM fr_events').pluck().all() as string[];
    expect(payloads).toHaveLength(1);
    expect(payloads[0]).not.toContain(secret);
    expect(payloads[0]).toContain('[REDACTED:secret_api_key:openai_style_key]');
    store.close();
  });
});
