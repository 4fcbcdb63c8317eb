import { listedIdOf } from '../../src-shared/job';
import { describe, expect, it, vi } from 'vitest';
import { zeroMetrics } from '../../src-shared/job';
import { allPages, dbOf } from '../testing/store';
import { makeTempDir } from '../testing/temp-dir';
import { startSearchIndexer } from './search-indexer';
import { BATCH_JOINS } from './search';
import { Store } from './store';

const OPTIONS = { capabilityProfileId: 'Analyst' };

function openStore(now: () => number = Date.now): Store {
  return Store.open(makeTempDir(), { now });
}

/** A clock one second per call, so created_at orders jobs as they were made. */
function steppingClock(): () => number {
  let t = Date.UTC(2026, 0, 1);
  return () => (t += 1_000);
}

function createMany(store: Store, n: number, text: (i: number) => string): string[] {
  const jobs = Array.from({ length: n }, (_, i) => ({ job_kind: 'doc_edit' as const, protocol_id: 'p', job_inputs: { prompt: text(i) } }));
  return store.createJobs(jobs, OPTIONS).map((job) => job.job_id);
}


describe('full-text search off the commit path', () => {
  it('writes no index entry in the writer\'s transaction: the job waits in job_search_pending', () => {
    const store = openStore();
    const [jobId] = createMany(store, 1, () => 'heron');
    const db = dbOf(store);
    expect(db.prepare('SELECT count(*) FROM job_search_pending').pluck().get()).toBe(1);
    expect(db.prepare('SELECT count(*) FROM job_search_key').pluck().get()).toBe(0);
    expect(store.searchIndexLag()).toBe(1);
    // A search indexes a small backlog itself before it runs, so what was stored is found.
    expect(store.listJobs({ text: 'heron' }).items.map(listedIdOf)).toEqual([jobId]);
    expect(store.searchIndexLag()).toBe(0);
    store.close();
  });

  it('pages a word that every job holds in creation order, newest and oldest first, with filters', () => {
    const store = openStore(steppingClock());
    const ids = createMany(store, 130, (i) => `common word ${i % 2 === 0 ? 'even' : 'odd'}`);
    const newestFirst = [...ids].reverse();
    expect(allPages(store, { text: 'common', limit: 50 })).toEqual(newestFirst);
    expect(allPages(store, { text: 'common', limit: 50, sort: 'created_at_asc' })).toEqual(ids);
    expect(allPages(store, { text: 'common even', limit: 20 })).toEqual(newestFirst.filter((_, i) => i % 2 === 1));
    store.transitionJob(ids[3]!, 'cancelled', 'operator', 'no_longer_needed');
    expect(allPages(store, { text: 'comm', state: ['cancelled'], job_kind: ['doc_edit'], limit: 5 })).toEqual([ids[3]]);
    expect(allPages(store, { text: 'common', sort: 'updated_at_desc', limit: 50 })[0]).toBe(ids[3]);
    store.close();
  });

  it('re-indexes a changed job and forgets a deleted one', () => {
    const store = openStore();
    const [kept, removed] = createMany(store, 2, (i) => `otter ${i}`);
    store.transitionJob(kept!, 'failed', 'policy', 'lynx_denied');
    expect(store.listJobs({ text: 'lynx' }).items.map(listedIdOf)).toEqual([kept]);
    expect(store.listJobs({ text: 'otter' }).items).toHaveLength(2);
    dbOf(store).prepare('DELETE FROM ai_jobs WHERE job_id = ?').run(removed);
    expect(store.listJobs({ text: 'otter' }).items.map(listedIdOf)).toEqual([kept]);
    expect(dbOf(store).prepare('SELECT count(*) FROM job_search_key').pluck().get()).toBe(1);
    store.close();
  });

  it('gives two jobs of the same millisecond whose rowids share their low 21 bits distinct keys', () => {
    const store = openStore();
    const insert = dbOf(store).prepare(`INSERT INTO ai_jobs (rowid, job_id, trace_id, job_kind, status, status_reason, protocol_id,
      profile_id, capability_profile_id, access_mode, safety_mode, metrics, job_inputs, created_at, updated_at, flight_recorder_span_id)
      VALUES (?, ?, ?, 'doc_edit', 'queued', 'queued', 'p', 'default', 'Analyst', 'analysis_only', 'normal', ?, '{"w":"ibis"}', 5, 5, ?)`);
    const first = '0190a000-0000-7000-8000-000000000001';
    const second = '0190a000-0000-7000-8000-000000000002';
    insert.run(7, first, first, JSON.stringify(zeroMetrics()), first);
    insert.run(7 + 2 ** 21, second, second, JSON.stringify(zeroMetrics()), second);
    expect(allPages(store, { text: 'ibis', limit: 1 }).sort()).toEqual([first, second]);
    store.close();
  });

  it('reports the lag of a backlog too large to index on read, and the indexer catches up', async () => {
    const store = openStore(steppingClock());
    const [oldest] = createMany(store, 2_500, (i) => (i === 0 ? 'heron' : `egret ${i}`));
    // The newest jobs are read directly, indexed or not; an old one is only in the index.
    const behind = store.listJobs({ text: 'heron', limit: 10 });
    expect(behind.search_index_lag).toBe(2_500);
    expect(behind.items).toEqual([]);
    expect(store.listJobs({ text: 'egret', limit: 10 }).items).toHaveLength(10);
    const indexer = startSearchIndexer(store);
    await indexer.caughtUp();
    indexer.stop();
    expect(store.searchIndexLag()).toBe(0);
    const page = store.listJobs({ text: 'heron', limit: 10 });
    expect(page.search_index_lag).toBeUndefined();
    expect(page.items.map(listedIdOf)).toEqual([oldest]);
    store.close();
  });
});

describe('where a search reads its matches', () => {
  /** The SQL the store prepares while `search` runs (a fresh store prepares each statement at first use). */
  function preparedDuring(store: Store, search: () => void): string[] {
    const prepare = vi.spyOn(dbOf(store), 'prepare');
    try {
      search();
      return prepare.mock.calls.map(([sql]) => sql);
    } finally {
      prepare.mockRestore();
    }
  }

  /** 2,000 indexed jobs, `kestrel` in those `holds(i)` picks, newest first; and the SQL a search of it prepares. */
  function searchKestrel(holds: (i: number) => boolean, search: (store: Store) => string[]): { found: string[]; expected: string[]; sql: string[] } {
    const store = openStore(steppingClock());
    const ids = createMany(store, 2_000, (i) => (holds(i) ? `kestrel report ${i}` : `plain report ${i}`));
    store.indexSearch(2_000);
    let found: string[] = [];
    const sql = preparedDuring(store, () => (found = search(store)));
    store.close();
    return { found, expected: ids.filter((_, i) => holds(i)).reverse(), sql };
  }

  it('reads on in the list for a word in a tenth of the newest jobs, instead of merging every posting of the prefix in the index', () => {
    // 256 rows hold about 26 matches: too few for the page, but enough to show it fills within ~510 rows.
    const { found, expected, sql } = searchKestrel((i) => i % 10 === 0, (store) => store.listJobs({ text: 'kestrel', limit: 50 }).items.map(listedIdOf));
    expect(found).toEqual(expected.slice(0, 50));
    expect(sql.filter((text) => text.includes('MATCH'))).toEqual([]);
  });

  it('turns to the index for a word the newest rows do not hold, and pages it the same', () => {
    const { found, expected, sql } = searchKestrel((i) => i % 400 === 7, (store) => allPages(store, { text: 'kestrel', limit: 2 }));
    expect(found).toEqual(expected);
    expect(sql.some((text) => text.includes('MATCH'))).toBe(true);
  });
});

describe('the search indexer on a large history', () => {
  it('reads only the batch\'s jobs: the batch drives every join, whatever the statistics say of ai_jobs', () => {
    const store = openStore();
    createMany(store, 3, (i) => `word${i}`);
    const db = dbOf(store);
    // The statistics ANALYZE writes for a history of 1,000,000 jobs (the temp batch has none).
    db.exec('ANALYZE');
    db.prepare("DELETE FROM sqlite_stat1 WHERE tbl = 'ai_jobs'").run();
    db.prepare("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('ai_jobs', NULL, '1000000')").run();
    db.exec('ANALYZE sqlite_schema');
    for (const [name, sql] of Object.entries(BATCH_JOINS)) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((row) => row.detail);
      expect(plan.filter((step) => /^SCAN (j|ai_jobs)\b/.test(step)), `${name}: ${plan.join(' | ')}`).toEqual([]);
      expect(plan.some((step) => /^SCAN b\b/.test(step)), `${name}: ${plan.join(' | ')}`).toBe(true);
    }
    // And the batch is indexed: each job is found by its word.
    store.freshenSearch();
    expect(store.listJobs({ text: 'word1', limit: 10 }).items).toHaveLength(1);
  });
});
