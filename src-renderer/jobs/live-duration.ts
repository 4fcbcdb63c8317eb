import type { AiJob } from '../../src-shared/job';

/**
 * A job's run time so far. metrics.duration_ms counts finished attempts only; a running job adds
 * the time since it started running (its updated_at: the last state change, queued -> running).
 */
export function liveDurationMs(job: Pick<AiJob, 'state' | 'metrics' | 'updated_at'>, now: number): number {
  if (job.state !== 'running' || now === 0) return job.metrics.duration_ms;
  return job.metrics.duration_ms + Math.max(0, now - Date.parse(job.updated_at));
}
