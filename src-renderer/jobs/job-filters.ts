/** JobFilters <-> jobs.list input, and the local check used to place pushed jobs. */
import type { AiJob } from '../../src-shared/job';
import type { ChannelInput } from '../../src-shared/ipc';
import type { JobFilters } from '../state/hash-state';

export const PAGE_SIZE = 200;

/** What selects jobs, as jobs.count takes it (jobs.list adds sort and paging). */
export function filterInput(filters: JobFilters): ChannelInput<'jobs.count'> {
  const input: ChannelInput<'jobs.count'> = {};
  if (filters.states.length > 0) input.state = filters.states;
  if (filters.kinds.length > 0) input.job_kind = filters.kinds;
  if (filters.createdFrom) input.created_from = filters.createdFrom;
  if (filters.createdTo) input.created_to = filters.createdTo;
  if (filters.traceId) input.trace_id = filters.traceId;
  if (filters.workflowRunId) input.workflow_run_id = filters.workflowRunId;
  if (filters.text.trim()) input.text = filters.text.trim();
  return input;
}

export function listInput(filters: JobFilters, cursor: string | null): ChannelInput<'jobs.list'> {
  return { ...filterInput(filters), sort: filters.sort, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) };
}

/**
 * Whether a pushed job belongs in the current list. `null` means "cannot tell here": full-text
 * matching happens on the server only.
 */
export function matchesFilters(job: AiJob, filters: JobFilters): boolean | null {
  if (filters.states.length > 0 && !filters.states.includes(job.state)) return false;
  if (filters.kinds.length > 0 && !filters.kinds.includes(job.job_kind)) return false;
  if (filters.createdFrom && Date.parse(job.created_at) < Date.parse(filters.createdFrom)) return false;
  if (filters.createdTo && Date.parse(job.created_at) > Date.parse(filters.createdTo)) return false;
  if (filters.traceId && job.trace_id !== filters.traceId) return false;
  if (filters.workflowRunId && job.workflow_run_id !== filters.workflowRunId) return false;
  if (filters.text.trim()) return null;
  return true;
}

export function isNewestFirst(filters: JobFilters): boolean {
  return filters.sort.endsWith('_desc');
}
