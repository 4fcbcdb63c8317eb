import { listedIdOf } from '../../src-shared/job';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { JobSort } from '../../src-shared/ipc';
import { errorOf } from '../testing/errors';
import { allPages } from '../testing/store';
import { makeTempDir } from '../testing/temp-dir';
import type { JobListQuery } from '../../src-shared/ipc';
import { Store } from './store';
import { dbOf } from '../testing/store';

const OPTIONS = { capabilityProfileId: 'Analyst' };
const START = Date.UTC(2026, 0, 1);

/** A store whose clock moves one second per job, so created_at orders jobs as they were made. */
function openStore(): { store: Store; clock: { now: number }; create: (job?: Record<string, unknown>) => string } {
  const clock = { now: START };
  const store = Store.open(makeTempDir(), { now: () => clock.now });
  const create = (job: Record<string, unknown> = {}) => {
    clock.now += 1_000;
    return store.createJob({ job_kind: 'doc_edit', protocol_id: 'p', ...job }, OPTIONS).job_id;
  };
  return { store, clock, create };
}

const ids = (store: Store, filter: JobListQuery) => store.listJobs({ limit: 500, ...filter }).items.map(listedIdOf);



describe('listJobs filters', () => {
  it('filters by any of several states', () => {
    const { store, create } = openStore();
    const queued = create();
    const cancelled = create();
    store.transitionJob(cancelled, 'cancelled', 'operator', 'x');
    const running = create();
    store.startRun(running);
    expect(ids(store, { state: ['queued', 'cancelled'], sort: 'created_at_asc' })).toEqual([queued, cancelled]);
    expect(ids(store, { state: ['running'] })).toEqual([running]);
  });

  it('filters by any of several kinds', () => {
    const { store, create } = openStore();
    const edit = create({ job_kind: 'doc_edit' });
    create({ job_kind: 'doc_ingest' });
    const exec = create({ job_kind: 'terminal_exec' });
    expect(ids(store, { job_kind: ['doc_edit', 'terminal_exec'], sort: 'created_at_asc' })).toEqual([edit, exec]);
  });

  it('filters by an inclusive created range', () => {
    const { store, create } = openStore();
    create();
    const second = create();
    const third = create();
    create();
    expect(ids(store, { created_from: START + 2_000, created_to: START + 3_000, sort: 'created_at_asc' })).toEqual([second, third]);
  });

  it('filters by trace_id and by workflow_run_id', () => {
    const { store, create } = openStore();
    const traceId = randomUUID();
    const traced = create({ trace_id: traceId });
    const other = create();
    const { run } = store.startRun(other);
    expect(ids(store, { trace_id: traceId })).toEqual([traced]);
    expect(ids(store, { workflow_run_id: run.workflow_run_id })).toEqual([other]);
    expect(ids(store, { workflow_run_id: randomUUID() })).toEqual([]);
  });

  it('combines filters with AND', () => {
    const { store, create } = openStore();
    create({ job_kind: 'doc_edit' });
    const match = create({ job_kind: 'doc_rewrite', job_inputs: { topic: 'zebra' } });
    create({ job_kind: 'doc_edit', job_inputs: { topic: 'zebra' } });
    expect(ids(store, { job_kind: ['doc_rewrite'], text: 'zebra', state: ['queued'] })).toEqual([match]);
  });
});

describe('listJobs full-text search', () => {
  it('finds words in job_inputs, job_outputs, status_reason, error_message, protocol_id and ids', () => {
    const { store, create } = openStore();
    const byInput = create({ job_inputs: { prompt: 'summarise the aardvark report' } });
    const byProtocol = create({ protocol_id: 'hsk.platypus.v1' });
    const byOutput = create();
    const { run } = store.startRun(byOutput);
    store.finishRun(run.workflow_run_id, {
      status: 'failed',
      reason: 'capybara_timeout',
      cause: 'engine',
      patch: { job_outputs: { note: 'wombat' }, error_message: 'the quokka refused' },
    });
    const traceId = randomUUID();
    const byTrace = create({ trace_id: traceId });
    create({ job_inputs: { prompt: 'nothing to see' } });

    expect(ids(store, { text: 'aardvark' })).toEqual([byInput]);
    expect(ids(store, { text: 'platypus' })).toEqual([byProtocol]);
    expect(ids(store, { text: 'wombat' })).toEqual([byOutput]);
    expect(ids(store, { text: 'quokka' })).toEqual([byOutput]);
    expect(ids(store, { text: 'capybara_timeout' })).toEqual([byOutput]);
    expect(ids(store, { text: traceId })).toEqual([byTrace]);
    expect(ids(store, { text: byProtocol })).toEqual([byProtocol]);
    expect(ids(store, { text: 'aard' })).toEqual([byInput]);
  });

  it('keeps the index in step when a job changes', () => {
    const { store, create } = openStore();
    const jobId = create();
    expect(ids(store, { text: 'ocelot' })).toEqual([]);
    store.transitionJob(jobId, 'failed', 'policy', 'ocelot_denied');
    expect(ids(store, { text: 'ocelot' })).toEqual([jobId]);
  });

  it.each(['AND', 'OR', 'NOT', '"', '"unbalanced', 'job_inputs:secret', 'status_reason:', '*', 'a*', 'NEAR(a b)', 'NEAR/2', '(', ')', '^start', '-minus', '+', '{a b}', "'", ':', ''])(
    'treats FTS syntax in %j as plain text and does not throw',
    (text) => {
      const { store, create } = openStore();
      create({ job_inputs: { prompt: 'AND OR NOT near secret' } });
      expect(() => store.listJobs({ text })).not.toThrow();
    },
  );

  it('matches a query word that is an FTS keyword as a word', () => {
    const { store, create } = openStore();
    const jobId = create({ job_inputs: { prompt: 'black AND white' } });
    create({ job_inputs: { prompt: 'black white' } });
    expect(ids(store, { text: 'AND' })).toEqual([jobId]);
  });
});

describe('listJobs sorting and pagination', () => {
  it.each<[JobSort, number[]]>([
    ['created_at_asc', [0, 1, 2]],
    ['created_at_desc', [2, 1, 0]],
    ['updated_at_asc', [1, 2, 0]],
    ['updated_at_desc', [0, 2, 1]],
  ])('sorts by %s', (sort, order) => {
    const { store, clock, create } = openStore();
    const jobs = [create(), create(), create()];
    clock.now += 1_000;
    store.transitionJob(jobs[0] as string, 'cancelled', 'operator', 'touch');
    expect(ids(store, { sort })).toEqual(order.map((index) => jobs[index]));
  });

  it('breaks ties in the sort key by insertion order without skipping rows', () => {
    const { store } = openStore();
    // Same clock value for every job: only the rowid tie-breaker orders them.
    const jobs = Array.from({ length: 7 }, () => store.createJob({ job_kind: 'doc_edit', protocol_id: 'p' }, OPTIONS).job_id);
    expect(allPages(store, { sort: 'created_at_asc', limit: 2 })).toEqual(jobs);
    expect(allPages(store, { sort: 'created_at_desc', limit: 3 })).toEqual([...jobs].reverse());
  });

  it.each<JobSort>(['created_at_asc', 'created_at_desc', 'updated_at_asc', 'updated_at_desc'])(
    'visits every row exactly once across pages with %s even when jobs are added between pages',
    (sort) => {
      const { store, create } = openStore();
      const existing = Array.from({ length: 23 }, () => create());
      const added: string[] = [];
      const seen = allPages(store, { sort, limit: 5 }, () => added.push(create()));
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining(existing));
      // New jobs sort after the cursor in ascending order (so they are seen) and before it in descending order.
      const expectedExtra = sort.endsWith('_asc') ? added.length : 0;
      expect(seen).toHaveLength(existing.length + expectedExtra);
    },
  );

  it('returns no cursor on the last page', () => {
    const { store, create } = openStore();
    create();
    create();
    expect(store.listJobs({ limit: 2 }).next_cursor).toBeNull();
    expect(store.listJobs({ limit: 1 }).next_cursor).not.toBeNull();
  });

  it('refuses a cursor issued for another sort order', () => {
    const { store, create } = openStore();
    create();
    create();
    const cursor = store.listJobs({ sort: 'created_at_asc', limit: 1 }).next_cursor ?? '';
    const error = errorOf(() => store.listJobs({ sort: 'updated_at_asc', cursor }));
    expect(error.code).toBe('HSK-400-INVALID-INPUT');
    expect(error.message).toMatch(/different sort/);
  });

  it.each([
    'garbage',
    Buffer.from('{"kind":"jobs"}').toString('base64url'),
    Buffer.from('{"kind":"events","seq":1}').toString('base64url'),
    Buffer.from('{"kind":"jobs","sort":"created_at_desc","value":"1","rowid":1}').toString('base64url'),
    Buffer.from('null').toString('base64url'),
  ])('refuses the garbage cursor %j with HSK-400-INVALID-INPUT', (cursor) => {
    const { store, create } = openStore();
    create();
    expect(errorOf(() => store.listJobs({ cursor })).code).toBe('HSK-400-INVALID-INPUT');
  });
});

describe('rows are parsed on read', () => {
  it('serves a damaged row (checks turned off) as an unsupported record beside the valid jobs, and refuses it alone on get', () => {
    const store = Store.open(makeTempDir());
    const valid = store.createJob({ job_kind: 'doc_edit', protocol_id: 'p' }, { capabilityProfileId: 'Analyst' });
    const damaged = store.createJob({ job_kind: 'doc_edit', protocol_id: 'p' }, { capabilityProfileId: 'Analyst' });
    const db = dbOf(store);
    db.pragma('ignore_check_constraints = ON');
    db.prepare("UPDATE ai_jobs SET job_kind = 'doc_test', metrics = '{\"duration_ms\": -1}' WHERE job_id = ?").run(damaged.job_id);
    db.pragma('ignore_check_constraints = OFF');

    const { items } = store.listJobs({ sort: 'created_at_asc' });
    expect(items[0]).toEqual(valid);
    expect(items[1]).toMatchObject({ unsupported: true, raw_id: damaged.job_id, reason: expect.stringContaining('job_kind') });
    expect(items[1]).not.toHaveProperty('job_kind');
    expect(errorOf(() => store.getJob(damaged.job_id))).toMatchObject({ code: 'HSK-422-UNSUPPORTED-RECORD' });
    expect(store.getJob(valid.job_id)).toEqual(valid);
    store.close();
  });

  it('refuses a state change of a row damaged on disk after this process wrote it, and changes nothing', () => {
    const store = Store.open(makeTempDir());
    const job = store.createJob({ job_kind: 'doc_edit', protocol_id: 'p' }, { capabilityProfileId: 'Analyst' });
    const { run } = store.startRun(job.job_id);
    const db = dbOf(store);
    db.pragma('ignore_check_constraints = ON');
    db.prepare("UPDATE ai_jobs SET access_mode = 'write_all' WHERE job_id = ?").run(job.job_id);
    db.pragma('ignore_check_constraints = OFF');
    const before = db.prepare('SELECT * FROM ai_jobs WHERE job_id = ?').get(job.job_id);
    const error = errorOf(() => store.finishRun(run.workflow_run_id, { status: 'completed', reason: 'done', cause: 'engine' }));
    expect(error).toMatchObject({ code: 'HSK-422-UNSUPPORTED-RECORD', message: expect.stringContaining('access_mode') });
    expect(db.prepare('SELECT * FROM ai_jobs WHERE job_id = ?').get(job.job_id)).toEqual(before);
    expect(store.getRun(run.workflow_run_id).status).toBe('running');
    store.close();
  });
});
