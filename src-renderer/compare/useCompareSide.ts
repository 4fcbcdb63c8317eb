/** One side of a comparison: the job, its runs and its events (oldest first, up to a bound). */
import { useEffect, useState } from 'react';
import type { FlightEvent } from '../../src-shared/events';
import type { AiJob, WorkflowRun } from '../../src-shared/job';
import { useApi } from '../api/ApiContext';
import { isUnsupported, type ClientError } from '../api/records';

export const COMPARE_EVENT_LIMIT = 2_000;

export interface CompareSide {
  job: AiJob;
  runs: WorkflowRun[];
  events: FlightEvent[];
  eventsTruncated: boolean;
}

export function useCompareSide(jobId: string | null): { side: CompareSide | null; error: ClientError | null } {
  const api = useApi();
  const [side, setSide] = useState<CompareSide | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  useEffect(() => {
    setSide(null);
    setError(null);
    if (!jobId) return;
    let live = true;
    void (async () => {
      const [job, runs] = await Promise.all([api['jobs.get']({ job_id: jobId }), api['runs.list']({ job_id: jobId })]);
      const events: FlightEvent[] = [];
      let cursor: string | null = null;
      do {
        const page = await api['events.list']({ job_id: jobId, order: 'asc', limit: 500, ...(cursor ? { cursor } : {}) });
        if (!page.ok) break;
        events.push(...page.data.items.filter((row): row is FlightEvent => !isUnsupported(row)));
        cursor = page.data.next_cursor;
      } while (cursor && events.length < COMPARE_EVENT_LIMIT);
      if (!live) return;
      if (!job.ok) return setError(job.error);
      if (!runs.ok) return setError(runs.error);
      setSide({ job: job.data, runs: runs.data.items, events: events.slice(0, COMPARE_EVENT_LIMIT), eventsTruncated: cursor !== null });
    })();
    return () => {
      live = false;
    };
  }, [api, jobId]);
  return { side, error };
}
