import type { JobKind } from '../../src-shared/enums';
import type { AiJob } from '../../src-shared/job';
import { dbOf } from '../testing/store';
import { describe, expect, it } from 'vitest';
import { JOB_STATES } from '../../src-shared/enums';
import { makeTempDir } from '../testing/temp-dir';
import { Store } from '../store/store';
import { JobCounter, countSql } from './counts';
import type { JobFilter } from '../store/job-filter';

const OPTIONS = { capabilityProfileId: 'Analyst' };
const START = Date.UTC(2026, 0, 1);

/** Jobs one second apart: 3 queued doc_edit, 2 cancelled terminal_exec, 1 running doc_edit. */
function seededStore() {
  const clock = { now: START };
  const store = Store.open(makeTempDir(), { now: () => clock.now });
  const create = (job_kind: JobKind, text: string) => {
    clock.now += 1_000;
    return store.createJob({ job_kind, protocol_id: 'p', job_inputs: { text } }, OPTIONS).job_id;
  };
  for (const text of ['alpha report', 'beta report', 'gamma']) create('doc_edit', text);
  for (const text of ['alpha', 'delta']) store.transitionJob(create('terminal_exec', text), 'cancelled', 'operator', 'x');
  const running = create('doc_edit', 'alpha');
  const { run } = store.startRun(running);
  return { store, counter: new JobCounter(dbOf(store)), runId: run.workflow_run_id };
}

/**
 * Gives the planner the statistics ANALYZE wrote for the benchmark's 1,000,000-job history (12
 * kinds, 10 states), so plans are chosen as they would be there, not for a table of six rows.
 */
function planAsOnMillionJobs(store: Store): void {
  dbOf(store).exec('ANALYZE');
  const stats: Record<string, string> = {
    ai_jobs_status_created: '1000000 125000 1',
    ai_jobs_kind_created: '1000000 83334 1',
    ai_jobs_trace: '1000000 1',
    ai_jobs_created: '1000000 1',
    ai_jobs_updated: '1000000 1',
    sqlite_autoindex_ai_jobs_1: '1000000 1',
  };
  const update = dbOf(store).prepare("UPDATE sqlite_stat1 SET stat = ? WHERE tbl = 'ai_jobs' AND idx = ?");
  for (const [index, stat] of Object.entries(stats)) expect(update.run(stat, index).changes).toBe(1);
  dbOf(store).exec('ANALYZE sqlite_schema');
}

const zero = Object.fromEntries(JOB_STATES.map((state) => [state, 0]));

describe('jobs.count', () => {
  it('counts every job per state, with zeros for empty states', () => {
    const { counter } = seededStore();
    expect(counter.count({})).toEqual({ total: 6, by_state: { ...zero, queued: 3, cancelled: 2, running: 1 } });
  });

  it('totals only the chosen states but counts every state for the rest of the filter', () => {
    const { counter } = seededStore();
    const counts = counter.count({ state: ['cancelled', 'running', 'cancelled'] });
    expect(counts.total).toBe(3);
    expect(counts.by_state).toMatchObject({ queued: 3, cancelled: 2, running: 1 });
  });

  it('applies kind, time, text, trace and run filters like jobs.list does', () => {
    const { store, counter, runId } = seededStore();
    const check = (filter: JobFilter) => {
      const listed = store.listJobs({ ...filter, limit: 500 }).items;
      const counts = counter.count(filter);
      expect(counts.total, JSON.stringify(filter)).toBe(listed.length);
      for (const state of JOB_STATES) expect(counts.by_state[state]).toBe(store.listJobs({ ...filter, state: [state], limit: 500 }).items.length);
    };
    const [first] = store.listJobs({ sort: 'created_at_asc', limit: 1 }).items;
    check({ job_kind: ['terminal_exec'] });
    check({ created_from: START + 2_500, created_to: START + 5_000 });
    check({ text: 'alpha' });
    check({ text: 'report', job_kind: ['doc_edit'] });
    check({ trace_id: (first as AiJob).trace_id });
    check({ workflow_run_id: runId });
    check({ state: ['queued'], text: 'alpha' });
  });

  it('reads indexes, never a scan of ai_jobs, for every shape of filter on a 1,000,000-job history', () => {
    const { store } = seededStore();
    planAsOnMillionJobs(store);
    const filters: JobFilter[] = [
      {},
      { state: ['failed'] },
      { created_from: START, created_to: START + 10_000 },
      { job_kind: ['doc_edit', 'terminal_exec'] },
      { text: 'alpha' },
      { trace_id: '00000000-0000-7000-8000-000000000000' },
    ];
    for (const filter of filters) {
      const { sql, params } = countSql(filter);
      const plan = (dbOf(store).prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>).map((row) => row.detail);
      expect(plan.some((step) => /^SCAN (j|ai_jobs)\b/.test(step)), `${JSON.stringify(filter)}: ${plan.join(' | ')}`).toBe(false);
    }
    const window = countSql({ created_from: START, created_to: START + 10_000 });
    const ranged = (dbOf(store).prepare(`EXPLAIN QUERY PLAN ${window.sql}`).all(window.params) as Array<{ detail: string }>).map((row) => row.detail);
    expect(ranged.filter((step) => step.includes('COVERING INDEX ai_jobs_status_created'))).toHaveLength(JOB_STATES.length);
    for (const filter of [{}, { state: ['failed'] }, { job_kind: ['doc_edit', 'terminal_exec'] }] satisfies JobFilter[]) {
      const { sql, params } = countSql(filter);
      const plan = (dbOf(store).prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>).map((row) => row.detail).join(' | ');
      expect(plan, JSON.stringify(filter)).toMatch(/job_state_counts|\bc\b/);
      expect(plan, JSON.stringify(filter)).not.toMatch(/ai_jobs/);
    }
  });

  it('keeps job_state_counts exactly what a GROUP BY over ai_jobs says, through inserts, state changes and deletes', () => {
    const { store } = seededStore();
    const db = dbOf(store);
    const counted = () => db.prepare('SELECT job_kind, status, n FROM job_state_counts WHERE n > 0 ORDER BY 1, 2').all();
    const grouped = () => db.prepare('SELECT job_kind, status, count(*) AS n FROM ai_jobs GROUP BY 1, 2 ORDER BY 1, 2').all();
    expect(counted()).toEqual(grouped());
    const [queued] = store.listJobs({ state: ['queued'], limit: 1 }).items as AiJob[];
    store.transitionJob(queued!.job_id, 'cancelled', 'operator', 'x');
    expect(counted()).toEqual(grouped());
    db.prepare('DELETE FROM ai_jobs WHERE job_id = ?').run(queued!.job_id);
    expect(counted()).toEqual(grouped());
    expect(new JobCounter(db).count({ job_kind: ['doc_edit'] }).total).toBe(3);
  });
});

describe('jobs.count for a text filter', () => {
  it('counts exactly up to the cap, and past it says the counts are lower bounds over the newest matches', () => {
    const { store } = seededStore();
    const db = dbOf(store);
    store.freshenSearch();
    // 'report' matches two queued jobs; 'alpha' one queued, one cancelled and one running.
    expect(new JobCounter(db, 3).count({ text: 'report' })).toEqual({ total: 2, by_state: { ...zero, queued: 2 } });
    expect(new JobCounter(db, 3).count({ text: 'alpha' })).toEqual({ total: 3, by_state: { ...zero, queued: 1, cancelled: 1, running: 1 } });
    const capped = new JobCounter(db, 1).count({ text: 'alpha' });
    expect(capped.capped_at).toBe(1);
    // The newest two of the three: the running doc_edit, then the cancelled terminal_exec.
    expect(capped.by_state).toEqual({ ...zero, running: 1, cancelled: 1 });
    expect(new JobCounter(db, 1).count({ text: 'alpha', state: ['queued'] })).toEqual({ total: 0, by_state: { ...zero, running: 1, cancelled: 1 }, capped_at: 1 });
    // The newest jobs (read without the index first) hold no 'report': the index finds the two oldest.
    expect(new JobCounter(db, 1).count({ text: 'report' })).toEqual({ total: 2, by_state: { ...zero, queued: 2 }, capped_at: 1 });
  });

  it('requires every typed word, as the list does, and keeps the other filters', () => {
    const { store, counter } = seededStore();
    store.freshenSearch();
    expect(counter.count({ text: 'alpha report' })).toEqual({ total: 1, by_state: { ...zero, queued: 1 } });
    expect(counter.count({ text: 'alpha', job_kind: ['terminal_exec'] })).toEqual({ total: 1, by_state: { ...zero, cancelled: 1 } });
    expect(counter.count({ text: 'alp' }).total).toBe(3);
    expect(counter.count({ text: 'nothing-like-this' })).toEqual({ total: 0, by_state: zero });
  });
});
