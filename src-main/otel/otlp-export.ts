/**
 * OTLP export of stored history in the OpenTelemetry File Exporter form: JSON Lines, one
 * `TracesData` per line (one line per trace), serialised by @opentelemetry/otlp-transformer's
 * JSON serializer. The scope is one job, one trace, or the jobs active in a time range. History is
 * read only through the store's public list/get methods.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { ERROR_CODES, HskError } from '../../src-shared/errors';
import type { FlightEvent } from '../../src-shared/events';
import { isUnsupportedRecord, type AiJob } from '../../src-shared/job';
import { toRfc3339 } from '../../src-shared/time';
import { Redactor } from '../security/redact';
import type { Store } from '../store/store';
import { jobHistorySpans, type JobHistory } from './spans';

export type OtlpScope = { job_id: string } | { trace_id: string } | { from: number; to: number };
export type HistorySource = Pick<Store, 'getJob' | 'listJobs' | 'listRuns' | 'listEvents'>;

/** Bounds of one export; past them the export says it is truncated rather than grow without end. */
export const OTLP_EXPORT_LIMITS = { jobs: 10_000, eventsPerJob: 10_000, scannedEvents: 200_000 } as const;
const PAGE = 500;

export interface OtlpExportSummary {
  path: string;
  job_count: number;
  trace_count: number;
  span_count: number;
  event_count: number;
  bytes: number;
  /** True when a limit in OTLP_EXPORT_LIMITS cut the export short. */
  truncated: boolean;
}

type Page<T> = { items: T[]; next_cursor: string | null };

/** Follows a keyset cursor until the list ends or `limit` items are in hand. */
function allPages<T>(fetch: (cursor: string | undefined) => Page<T>, limit: number): { items: T[]; truncated: boolean } {
  const items: T[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = fetch(cursor);
    items.push(...page.items);
    if (items.length >= limit && page.next_cursor) return { items: items.slice(0, limit), truncated: true };
    if (!page.next_cursor) return { items, truncated: false };
    cursor = page.next_cursor;
  }
}

function eventsOfJob(source: HistorySource, jobId: string): { items: FlightEvent[]; truncated: boolean } {
  return allPages((cursor) => source.listEvents({ job_id: jobId, order: 'asc', limit: PAGE, ...(cursor ? { cursor } : {}) }), OTLP_EXPORT_LIMITS.eventsPerJob);
}

function jobsOfTrace(source: HistorySource, traceId: string): { jobs: AiJob[]; truncated: boolean } {
  const { items, truncated } = allPages(
    (cursor) => source.listJobs({ trace_id: traceId, sort: 'created_at_asc', limit: PAGE, ...(cursor ? { cursor } : {}) }),
    OTLP_EXPORT_LIMITS.jobs,
  );
  // A damaged row (an unsupported record) has no trustworthy times to make a span from.
  return { jobs: items.filter((item): item is AiJob => !isUnsupportedRecord(item)), truncated };
}

/** Jobs with at least one Flight Recorder event in [from, to], in the order they first appear. */
function jobsActiveBetween(source: HistorySource, from: number, to: number): { jobs: AiJob[]; truncated: boolean } {
  const ids = new Set<string>();
  let scanned = 0;
  let cursor: string | undefined;
  for (;;) {
    const page = source.listEvents({ from, to, order: 'asc', limit: PAGE, ...(cursor ? { cursor } : {}) });
    scanned += page.items.length;
    for (const event of page.items) if (event.job_id) ids.add(event.job_id);
    const full = ids.size >= OTLP_EXPORT_LIMITS.jobs || scanned >= OTLP_EXPORT_LIMITS.scannedEvents;
    if (!page.next_cursor || full) {
      const jobs = [...ids].slice(0, OTLP_EXPORT_LIMITS.jobs).map((id) => source.getJob(id));
      return { jobs, truncated: full && page.next_cursor !== null };
    }
    cursor = page.next_cursor;
  }
}

function jobsInScope(source: HistorySource, scope: OtlpScope): { jobs: AiJob[]; truncated: boolean } {
  if ('job_id' in scope) return { jobs: [source.getJob(scope.job_id)], truncated: false };
  const found = 'trace_id' in scope ? jobsOfTrace(source, scope.trace_id) : jobsActiveBetween(source, scope.from, scope.to);
  if (found.jobs.length === 0) {
    const what = 'trace_id' in scope ? `trace ${scope.trace_id} has no jobs` : `no job has events between ${toRfc3339(scope.from)} and ${toRfc3339(scope.to)}`;
    throw new HskError(ERROR_CODES.notFound, `Nothing to export: ${what}`, { scope });
  }
  return found;
}

/** Reads the history of every job in the scope. Throws HSK-404 when the scope holds no job. */
export function collectJobHistories(source: HistorySource, scope: OtlpScope): { histories: JobHistory[]; truncated: boolean } {
  const { jobs, truncated } = jobsInScope(source, scope);
  const histories = jobs.map((job) => {
    const { items: events, truncated: eventsTruncated } = eventsOfJob(source, job.job_id);
    return { job, runs: source.listRuns(job.job_id), events, eventsTruncated };
  });
  return { histories, truncated: truncated || histories.some((history) => history.eventsTruncated) };
}

/** JSON Lines, one TracesData per trace, traces in the order their first span appears. */
export function otlpJsonLines(spans: readonly ReadableSpan[]): string {
  const byTrace = new Map<string, ReadableSpan[]>();
  for (const span of spans) {
    const traceId = span.spanContext().traceId;
    const group = byTrace.get(traceId) ?? [];
    group.push(span);
    byTrace.set(traceId, group);
  }
  const decoder = new TextDecoder();
  return [...byTrace.values()].map((group) => `${decoder.decode(JsonTraceSerializer.serializeRequest(group))}\n`).join('');
}

/** Writes the scope's history as OTLP JSON Lines to `outFile` (atomically: nothing partial is left). */
export function writeOtlpExport(source: HistorySource, scope: OtlpScope, outFile: string, serviceVersion?: string): OtlpExportSummary {
  const { histories, truncated } = collectJobHistories(source, scope);
  const spans = jobHistorySpans(histories, { redactor: new Redactor(), serviceVersion });
  const text = otlpJsonLines(spans);
  const target = path.resolve(outFile);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  fs.writeFileSync(partial, text);
  fs.renameSync(partial, target);
  return {
    path: target,
    job_count: histories.length,
    trace_count: new Set(spans.map((span) => span.spanContext().traceId)).size,
    span_count: spans.length,
    event_count: histories.reduce((sum, history) => sum + history.events.length, 0),
    bytes: Buffer.byteLength(text),
    truncated,
  };
}
