/** Which history an "Export OTLP" on a Timeline slice means. */
import type { ChannelInput } from '../../src-shared/ipc';
import type { EventFilters } from '../state/hash-state';

export type OtlpExportScope = ChannelInput<'traces.export_otlp'>;

const BEGINNING = new Date(0).toISOString();

/**
 * A slice filtered to a trace or a job exports that trace or job; otherwise its time window, an
 * open end closed at `now` (as a pinned slice is), an open start reaching back to the first event.
 */
export function sliceScope(filters: EventFilters, now: Date): OtlpExportScope {
  if (filters.traceId) return { trace_id: filters.traceId };
  if (filters.jobId) return { job_id: filters.jobId };
  return { from: filters.from ?? BEGINNING, to: filters.to ?? now.toISOString() };
}
