/**
 * Pure merges of the jobs list. Rows keep their places; new rows go on top for newest-first sorts
 * (and are counted so the table can keep the viewport still) or at the end once all pages are in.
 */
import type { AiJob } from '../../src-shared/job';
import { isUnsupported, type Row } from '../api/records';
import type { JobFilters } from '../state/hash-state';
import { isNewestFirst, matchesFilters } from './job-filters';

export interface ListRows {
  rows: Row<AiJob>[];
  /** Grows by the number of rows inserted above the existing ones. */
  insertedAbove: number;
  /** Pushed jobs that might match a text search (only the server can tell). */
  maybeNew: number;
}

export const EMPTY_ROWS: ListRows = { rows: [], insertedAbove: 0, maybeNew: 0 };

export function rowId(row: Row<AiJob>): string {
  return isUnsupported(row) ? `unsupported:${row.raw_id}` : row.job_id;
}

/**
 * The ids of a rows array, remembered with it, so that appending a page while scrolling costs a
 * copy of the set rather than a walk over every loaded row.
 */
const idsOfRows = new WeakMap<readonly Row<AiJob>[], ReadonlySet<string>>();

function loadedIds(rows: readonly Row<AiJob>[]): ReadonlySet<string> {
  let ids = idsOfRows.get(rows);
  if (!ids) {
    ids = new Set(rows.map(rowId));
    idsOfRows.set(rows, ids);
  }
  return ids;
}

/** Appends a page; a job already shown (pushed to the top earlier) keeps its first copy. */
export function appendPage(list: ListRows, page: Row<AiJob>[]): ListRows {
  const seen = loadedIds(list.rows);
  const added = page.filter((row) => !seen.has(rowId(row)));
  const rows = [...list.rows, ...added];
  const ids = new Set(seen);
  for (const row of added) ids.add(rowId(row));
  idsOfRows.set(rows, ids);
  return { ...list, rows };
}

function placeFresh(list: ListRows, next: Row<AiJob>[], fresh: Row<AiJob>[], filters: JobFilters, allLoaded: boolean): ListRows {
  if (fresh.length === 0) return { ...list, rows: next };
  if (isNewestFirst(filters)) return { ...list, rows: [...fresh, ...next], insertedAbove: list.insertedAbove + fresh.length };
  return { ...list, rows: allLoaded ? [...next, ...fresh] : next };
}

/** Applies pushed jobs (oldest push first): replace in place, or place new ones that match. */
export function applyPushedJobs(list: ListRows, jobs: AiJob[], filters: JobFilters, allLoaded: boolean): ListRows {
  const index = new Map(list.rows.map((row, position) => [rowId(row), position]));
  const next = list.rows.slice();
  const fresh: AiJob[] = [];
  let maybeNew = list.maybeNew;
  for (const job of jobs) {
    const position = index.get(job.job_id);
    if (position !== undefined) {
      next[position] = job;
      continue;
    }
    const matches = matchesFilters(job, filters);
    if (matches === null) maybeNew += 1;
    else if (matches) fresh.unshift(job);
  }
  return placeFresh({ ...list, maybeNew }, next, isNewestFirst(filters) ? fresh : fresh.reverse(), filters, allLoaded);
}

/** Merges a first page fetched again after missed pushes: the server says these match. */
export function mergeFirstPage(list: ListRows, page: Row<AiJob>[], filters: JobFilters): ListRows {
  const index = new Map(list.rows.map((row, position) => [rowId(row), position]));
  const next = list.rows.slice();
  const fresh: Row<AiJob>[] = [];
  for (const row of page) {
    const position = index.get(rowId(row));
    if (position === undefined) fresh.push(row);
    else next[position] = row;
  }
  return placeFresh(list, next, isNewestFirst(filters) ? fresh : [], filters, false);
}

export function replaceJobs(list: ListRows, fresh: Map<string, AiJob>): ListRows {
  return { ...list, rows: list.rows.map((row) => (isUnsupported(row) ? row : (fresh.get(row.job_id) ?? row))) };
}
