import { describe, expect, it } from 'vitest';
import { DEFAULT_JOB_FILTERS } from '../state/hash-state';
import { appendPage, applyPushedJobs, EMPTY_ROWS, mergeFirstPage } from './job-list-merge';
import { makeJob } from '../test/fixtures';

const newestFirst = DEFAULT_JOB_FILTERS;
const oldestFirst = { ...DEFAULT_JOB_FILTERS, sort: 'created_at_asc' as const };

describe('live updates of the jobs list', () => {
  it('replaces a changed job in place, keeping every row where it was', () => {
    const [a, b, c] = [makeJob(), makeJob(), makeJob()];
    const list = { ...EMPTY_ROWS, rows: [a, b, c] };
    const changed = { ...b, state: 'running' as const };
    const next = applyPushedJobs(list, [changed], newestFirst, false);
    expect(next.rows).toEqual([a, changed, c]);
    expect(next.insertedAbove).toBe(0);
  });

  it('puts new matching jobs on top, newest first, and counts them for the scroll anchor', () => {
    const existing = makeJob();
    const [first, second] = [makeJob(), makeJob()];
    const next = applyPushedJobs({ ...EMPTY_ROWS, rows: [existing] }, [first, second], newestFirst, false);
    expect(next.rows).toEqual([second, first, existing]);
    expect(next.insertedAbove).toBe(2);
  });

  it('leaves out new jobs that do not match the filters', () => {
    const filters = { ...newestFirst, states: ['stalled' as const] };
    const next = applyPushedJobs(EMPTY_ROWS, [makeJob({ state: 'queued' })], filters, true);
    expect(next.rows).toEqual([]);
  });

  it('appends new jobs at the end for oldest-first only once every page is loaded', () => {
    const existing = makeJob();
    const fresh = makeJob();
    expect(applyPushedJobs({ ...EMPTY_ROWS, rows: [existing] }, [fresh], oldestFirst, false).rows).toEqual([existing]);
    expect(applyPushedJobs({ ...EMPTY_ROWS, rows: [existing] }, [fresh], oldestFirst, true).rows).toEqual([existing, fresh]);
  });

  it('counts new jobs it cannot place under a text search instead of guessing', () => {
    const next = applyPushedJobs(EMPTY_ROWS, [makeJob()], { ...newestFirst, text: 'report' }, true);
    expect(next.rows).toEqual([]);
    expect(next.maybeNew).toBe(1);
  });

  it('does not duplicate a job that was pushed to the top and later arrives in a page', () => {
    const pushed = makeJob();
    const list = applyPushedJobs(EMPTY_ROWS, [pushed], newestFirst, false);
    const other = makeJob();
    expect(appendPage(list, [pushed, other]).rows).toEqual([pushed, other]);
  });

  it('does not duplicate a job loaded pages ago, however the list got there', () => {
    const [a, b, c, d] = [makeJob(), makeJob(), makeJob(), makeJob()];
    const first = appendPage(EMPTY_ROWS, [a, b]);
    const second = appendPage(first, [c]);
    // Pushed changes, then a page that repeats a job from each earlier page.
    const pushed = applyPushedJobs(second, [{ ...b, state: 'running' }], newestFirst, false);
    const third = appendPage(pushed, [a, c, d]);
    expect(third.rows.map((row) => ('job_id' in row ? row.job_id : null))).toEqual([a, b, c, d].map((job) => job.job_id));
    // The same update applied twice (as React may in development) gives the same list.
    expect(appendPage(second, [a, d]).rows).toEqual(appendPage(second, [a, d]).rows);
  });

  it('merges a refetched first page: updates known rows and adds unseen ones on top', () => {
    const [a, b] = [makeJob(), makeJob()];
    const fresh = makeJob();
    const updatedA = { ...a, state: 'completed' as const };
    const next = mergeFirstPage({ ...EMPTY_ROWS, rows: [a, b] }, [fresh, updatedA], newestFirst);
    expect(next.rows).toEqual([fresh, updatedA, b]);
    expect(next.insertedAbove).toBe(1);
  });
});
