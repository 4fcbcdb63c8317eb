/**
 * Test-only views of a Store: row counts, events of one type, the raw database handle (for
 * hand-written SQL that the app itself never runs), and parsing a job the way an edge would.
 */
import { listedIdOf } from '../../src-shared/job';
import type Database from 'better-sqlite3';
import { parseOrThrow } from '../../src-shared/errors';
import type { EventType, FlightEvent } from '../../src-shared/events';
import { LIMITS, NewJobSchema, type NewJob, type NewJobInput } from '../../src-shared/job';
import type { AiJob } from '../../src-shared/job';
import type { JobListQuery } from '../../src-shared/ipc';
import { StallWrites } from '../recovery/stall-writes';
import type { Store } from '../store/store';

export type TableName = 'ai_jobs' | 'workflow_runs' | 'workflow_node_executions' | 'fr_events' | 'legacy_quarantine' | 'diagnostics';

export function dbOf(store: Store): Database.Database {
  return store.attach((access) => access.db);
}

export function count(store: Store, table: TableName): number {
  return dbOf(store).prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}

export function eventsOfType(store: Store, type: EventType, jobId?: string): FlightEvent[] {
  return store.listEvents({ type: [type], job_id: jobId, order: 'asc', limit: LIMITS.listLimitMax }).items;
}

/** A job as an edge hands it to the store: parsed (the alias canonicalised), or refused. */
export function parsedJob(input: NewJobInput): NewJob {
  return parseOrThrow(NewJobSchema, input, 'job');
}

/** What startup recovery does to a run, for tests that need a stalled job: the stall, then its Diagnostic. */
export function stallRun(store: Store, runId: string, reason: string, thresholdSecs: number, message: string): AiJob | null {
  const writes = StallWrites.of(store);
  const job = writes.stallRun({ runId, reason, thresholdSecs, message });
  while (writes.diagnoseBatch(1_000) > 0);
  return job;
}

/** Follows next_cursor to the end and returns every job id in page order; `between` runs after every page. */
export function allPages(store: Store, filter: JobListQuery, between: () => void = () => undefined): string[] {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page += 1) {
    const result = store.listJobs({ ...filter, ...(cursor ? { cursor } : {}) });
    seen.push(...result.items.map(listedIdOf));
    if (!result.next_cursor) return seen;
    cursor = result.next_cursor;
    between();
  }
  throw new Error('pagination did not end');
}
