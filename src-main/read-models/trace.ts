/**
 * One trace with everything in it: its jobs (oldest first), their runs and node executions, and
 * its Flight Recorder events in order, each bounded so one huge trace cannot exhaust memory.
 */
import type { FlightEvent } from '../../src-shared/events';
import { TRACE_MAX_EVENTS, TRACE_MAX_JOBS, type Trace } from '../../src-shared/inspector-views';
import { LIMITS, type AiJob } from '../../src-shared/job';
import type { Store } from '../store/store';

const PAGE = LIMITS.listLimitMax;

/** Reads keyset pages until `max` items or the end; says whether it stopped early. */
function collectPages<T>(max: number, readPage: (cursor: string | undefined) => { items: T[]; next_cursor: string | null }): { items: T[]; truncated: boolean } {
  const items: T[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = readPage(cursor);
    items.push(...page.items);
    if (items.length >= max) return { items: items.slice(0, max), truncated: items.length > max || page.next_cursor !== null };
    if (!page.next_cursor) return { items, truncated: false };
    cursor = page.next_cursor;
  }
}

export function loadTrace(store: Store, traceId: string, eventLimit = TRACE_MAX_EVENTS): Trace {
  const jobs = collectPages<AiJob>(TRACE_MAX_JOBS, (cursor) =>
    store.listJobs({ trace_id: traceId, sort: 'created_at_asc', limit: PAGE, ...(cursor ? { cursor } : {}) }),
  );
  const events = collectPages<FlightEvent>(eventLimit, (cursor) =>
    store.listEvents({ trace_id: traceId, order: 'asc', limit: Math.min(PAGE, eventLimit), ...(cursor ? { cursor } : {}) }),
  );
  return {
    trace_id: traceId,
    jobs: jobs.items,
    runs: jobs.items.flatMap((job) => store.listRuns(job.job_id)),
    events: events.items,
    jobs_truncated: jobs.truncated,
    events_truncated: events.truncated,
    purged_before: store.recorder.purgedBefore(),
  };
}
