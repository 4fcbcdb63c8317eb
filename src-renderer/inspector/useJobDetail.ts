/**
 * Everything the inspector shows about one job: the job, its Flight Recorder events (oldest first)
 * and its workflow runs. Kept current by pushes for this job and refetched after a missed push.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AiJob, WorkflowRun } from '../../src-shared/job';
import type { FlightEvent } from '../../src-shared/events';
import { useApi, usePush, useResync } from '../api/ApiContext';
import { isUnsupported, type ClientError, type Row } from '../api/records';

export const JOB_EVENT_LIMIT = 500;

export interface JobDetail {
  job: AiJob | null;
  error: ClientError | null;
  events: Row<FlightEvent>[];
  eventsTruncated: boolean;
  runs: WorkflowRun[];
  runsError: ClientError | null;
  reload: () => void;
}

export function useJobDetail(jobId: string): JobDetail {
  const api = useApi();
  const [job, setJob] = useState<AiJob | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [events, setEvents] = useState<Row<FlightEvent>[]>([]);
  const [eventsTruncated, setEventsTruncated] = useState(false);
  const [runs, setRuns] = useState<WorkflowRun[]>([]);
  const [runsError, setRunsError] = useState<ClientError | null>(null);
  const current = useRef(jobId);

  const loadRuns = useCallback(async () => {
    const result = await api['runs.list']({ job_id: jobId });
    if (current.current !== jobId) return;
    if (result.ok) {
      setRuns(result.data.items);
      setRunsError(null);
    } else setRunsError(result.error);
  }, [api, jobId]);

  const load = useCallback(async () => {
    const [jobResult, eventResult] = await Promise.all([
      api['jobs.get']({ job_id: jobId }),
      api['events.list']({ job_id: jobId, order: 'asc', limit: JOB_EVENT_LIMIT }),
      loadRuns(),
    ]);
    if (current.current !== jobId) return;
    if (jobResult.ok) {
      setJob(jobResult.data);
      setError(null);
    } else setError(jobResult.error);
    if (eventResult.ok) {
      setEvents(eventResult.data.items);
      setEventsTruncated(eventResult.data.next_cursor !== null);
    }
  }, [api, jobId, loadRuns]);

  useEffect(() => {
    current.current = jobId;
    setJob(null);
    setError(null);
    setEvents([]);
    setRuns([]);
    void load();
  }, [jobId, load]);

  usePush('job.changed', (message) => {
    if (message.payload.job.job_id !== jobId) return;
    setJob(message.payload.job);
    void loadRuns();
  });

  usePush('event.appended', (message) => {
    const event = message.payload.event;
    if (event.job_id !== jobId) return;
    setEvents((existing) =>
      existing.some((row) => !isUnsupported(row) && row.event_id === event.event_id) ? existing : [...existing, event],
    );
  });

  useResync(() => void load());

  return { job, error, events, eventsTruncated, runs, runsError, reload: () => void load() };
}
