/**
 * The WHERE clause of a job filter, for the queries that read ai_jobs besides the store's own
 * listing (counts). The state part is kept apart because counts per state leave it out.
 */
import type { JobListQuery } from '../../src-shared/ipc';
import { Conditions } from '../db/conditions';
import { ftsCondition } from './text-query';

/** A jobs.list / jobs.count filter with its times as epoch milliseconds: the list query less paging. */
export type JobFilter = Omit<JobListQuery, 'sort' | 'cursor' | 'limit'>;

/** Every condition of `filter` except its states, over `ai_jobs j`; `text: false` leaves the text out too. */
export function conditionsWithoutState(filter: JobFilter, options: { text?: boolean } = {}): Conditions {
  const where = new Conditions();
  where.oneOf('j.job_kind', 'kind', filter.job_kind);
  where.when(filter.created_from, 'j.created_at >= @created_from', 'created_from');
  where.when(filter.created_to, 'j.created_at <= @created_to', 'created_to');
  where.when(filter.trace_id, 'j.trace_id = @trace_id', 'trace_id');
  where.when(
    filter.workflow_run_id,
    'j.job_id IN (SELECT job_id FROM workflow_runs WHERE workflow_run_id = @workflow_run_id)',
    'workflow_run_id',
  );
  const match = filter.text && options.text !== false ? ftsCondition(filter.text) : null;
  if (match) where.raw(match.sql, match.params);
  return where;
}
