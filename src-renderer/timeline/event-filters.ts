/** EventFilters <-> events.list input, and the local match for live-tailed events. */
import type { FlightEvent } from '../../src-shared/events';
import type { ChannelInput } from '../../src-shared/ipc';
import type { EventFilters } from '../state/hash-state';

export const EVENT_PAGE_SIZE = 200;

export function eventListInput(filters: EventFilters, cursor: string | null): ChannelInput<'events.list'> {
  const input: ChannelInput<'events.list'> = { order: filters.order, limit: EVENT_PAGE_SIZE };
  if (filters.jobId) input.job_id = filters.jobId;
  if (filters.traceId) input.trace_id = filters.traceId;
  if (filters.workflowRunId) input.workflow_run_id = filters.workflowRunId;
  if (filters.actor) input.actor = filters.actor;
  if (filters.types.length > 0) input.type = filters.types;
  if (filters.from) input.from = filters.from;
  if (filters.to) input.to = filters.to;
  if (cursor) input.cursor = cursor;
  return input;
}

export function eventMatches(event: FlightEvent, filters: EventFilters): boolean {
  if (filters.jobId && event.job_id !== filters.jobId) return false;
  if (filters.traceId && event.trace_id !== filters.traceId) return false;
  if (filters.workflowRunId && event.workflow_run_id !== filters.workflowRunId) return false;
  if (filters.actor && event.actor !== filters.actor) return false;
  if (filters.types.length > 0 && !filters.types.includes(event.type)) return false;
  const at = Date.parse(event.timestamp);
  if (filters.from && at < Date.parse(filters.from)) return false;
  if (filters.to && at > Date.parse(filters.to)) return false;
  return true;
}

/**
 * Whether the window reaches back past what retention removed: then the view must say that
 * evidence is missing rather than show a silent gap.
 */
export function windowReachesPurge(filters: EventFilters, purgedBefore: string | null): boolean {
  if (!purgedBefore) return false;
  return filters.from === null || Date.parse(filters.from) < Date.parse(purgedBefore);
}
