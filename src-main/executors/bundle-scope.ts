/**
 * What a debug bundle holds for each scope (§10.5.6): the jobs, Flight Recorder events and
 * diagnostics in scope, within the profile's limits, and what evidence is missing and why.
 * - job: the job, all its events, its diagnostics;
 * - trace: every job of one trace_id, their events and diagnostics;
 * - problem: every instance of the fingerprint, the jobs they link to directly, those jobs' events
 *   and any other event an instance references;
 * - time_window: the events in the window, the jobs they belong to, the diagnostics recorded in it.
 */
import type { Diagnostic, Problem } from '../../src-shared/diagnostics';
import type { FlightEvent } from '../../src-shared/events';
import { isUnsupportedRecord, type AiJob } from '../../src-shared/job';
import type { BundleInputs } from '../../src-shared/job-inputs';
import { parseRfc3339 } from '../../src-shared/time';
import { isHskError } from '../../src-shared/errors';
import { ExecutorFailure, type ExecutorContext } from './types';

/** Spec limits per bundle (§10.5.6 profile constants). */
export const BUNDLE_LIMITS = { events: 10_000, jobs: 1_000, diagnostics: 1_000 } as const;
const PAGE = 500;

export interface MissingEvidence {
  kind: string;
  reason: string;
}

export interface ScopeContents {
  scope: 'job' | 'trace' | 'problem' | 'time_window';
  jobs: AiJob[];
  events: FlightEvent[];
  diagnostics: Diagnostic[];
  problem: Problem | null;
  window: { from: string; to: string } | null;
  missing: MissingEvidence[];
}

type BundleStore = ExecutorContext['store'];

/** Pages through events.list until the query or the room left runs out. */
function collectEvents(store: BundleStore, query: Parameters<BundleStore['listEvents']>[0], room: number): { events: FlightEvent[]; truncated: boolean } {
  const events: FlightEvent[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = store.listEvents({ ...query, order: 'asc', limit: PAGE, ...(cursor ? { cursor } : {}) });
    events.push(...page.items);
    if (events.length >= room) return { events: events.slice(0, room), truncated: events.length > room || page.next_cursor !== null };
    if (!page.next_cursor) return { events, truncated: false };
    cursor = page.next_cursor;
  }
}

function eventsOfJobs(store: BundleStore, jobIds: readonly string[], missing: MissingEvidence[]): FlightEvent[] {
  const events: FlightEvent[] = [];
  for (const jobId of jobIds) {
    const room = BUNDLE_LIMITS.events - events.length;
    const found = collectEvents(store, { job_id: jobId }, room);
    events.push(...found.events);
    if (found.truncated) {
      missing.push({ kind: 'events', reason: `more than ${BUNDLE_LIMITS.events} events in scope; the oldest of each job up to the limit are included` });
      break;
    }
  }
  return events;
}

function retentionNote(store: BundleStore, missing: MissingEvidence[], fromMs: number | null): void {
  const purgedBefore = store.listEvents({ limit: 1 }).purged_before;
  if (purgedBefore && (fromMs === null || fromMs < Date.parse(purgedBefore))) {
    missing.push({ kind: 'events', reason: `events before ${purgedBefore} were removed by retention` });
  }
}

function jobsById(store: BundleStore, ids: Iterable<string>, missing: MissingEvidence[]): AiJob[] {
  const jobs: AiJob[] = [];
  for (const id of ids) {
    if (jobs.length >= BUNDLE_LIMITS.jobs) {
      missing.push({ kind: 'jobs', reason: `more than ${BUNDLE_LIMITS.jobs} jobs in scope; the first ${BUNDLE_LIMITS.jobs} are included` });
      break;
    }
    try {
      jobs.push(store.getJob(id));
    } catch (error) {
      if (!isHskError(error) || error.code !== 'HSK-404-NOT-FOUND') throw error;
      missing.push({ kind: 'job', reason: `job ${id} is referenced but not stored` });
    }
  }
  return jobs;
}

/** The scope's target, or the job fails with target_not_found (it may be gone since the call). */
function target<T>(lookup: () => T, what: string): T {
  try {
    return lookup();
  } catch (error) {
    if (isHskError(error) && error.code === 'HSK-404-NOT-FOUND') throw new ExecutorFailure('target_not_found', `no ${what} to export`);
    throw error;
  }
}

function jobScope(store: BundleStore, jobId: string): ScopeContents {
  const missing: MissingEvidence[] = [];
  const job = target(() => store.getJob(jobId), `job ${jobId}`);
  const found = collectEvents(store, { job_id: jobId }, BUNDLE_LIMITS.events);
  if (found.truncated) missing.push({ kind: 'events', reason: `more than ${BUNDLE_LIMITS.events} events; the oldest ${BUNDLE_LIMITS.events} are included` });
  retentionNote(store, missing, Date.parse(job.created_at));
  const diagnostics = store.diagnosticsOfJob(jobId, BUNDLE_LIMITS.diagnostics);
  return { scope: 'job', jobs: [job], events: found.events, diagnostics, problem: null, window: null, missing };
}

function traceScope(store: BundleStore, traceId: string): ScopeContents {
  const missing: MissingEvidence[] = [];
  const jobs: AiJob[] = [];
  let cursor: string | undefined;
  do {
    const page = store.listJobs({ trace_id: traceId, sort: 'created_at_asc', limit: PAGE, ...(cursor ? { cursor } : {}) });
    for (const item of page.items) {
      if (isUnsupportedRecord(item)) missing.push({ kind: 'job', reason: `row ${item.raw_id} is an unsupported record: ${item.reason}` });
      else jobs.push(item);
    }
    cursor = page.next_cursor ?? undefined;
  } while (cursor && jobs.length < BUNDLE_LIMITS.jobs);
  if (jobs.length === 0) throw new ExecutorFailure('target_not_found', `no job has trace_id ${traceId}`);
  if (cursor || jobs.length > BUNDLE_LIMITS.jobs) {
    missing.push({ kind: 'jobs', reason: `more than ${BUNDLE_LIMITS.jobs} jobs in the trace; the oldest ${BUNDLE_LIMITS.jobs} are included` });
  }
  const included = jobs.slice(0, BUNDLE_LIMITS.jobs);
  const events = eventsOfJobs(store, included.map((job) => job.job_id), missing);
  events.sort((a, b) => a.seq - b.seq);
  retentionNote(store, missing, Date.parse(included[0]!.created_at));
  const diagnostics = included.flatMap((job) => store.diagnosticsOfJob(job.job_id, BUNDLE_LIMITS.diagnostics)).slice(0, BUNDLE_LIMITS.diagnostics);
  return { scope: 'trace', jobs: included, events, diagnostics, problem: null, window: null, missing };
}

function allInstances(store: BundleStore, fingerprint: string, missing: MissingEvidence[]): Diagnostic[] {
  const instances: Diagnostic[] = [];
  let cursor: string | undefined;
  do {
    const page = store.problemInstances(fingerprint, cursor, PAGE);
    instances.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor && instances.length < BUNDLE_LIMITS.diagnostics);
  if (cursor) missing.push({ kind: 'diagnostics', reason: `more than ${BUNDLE_LIMITS.diagnostics} instances; the newest ${BUNDLE_LIMITS.diagnostics} are included` });
  return instances.slice(0, BUNDLE_LIMITS.diagnostics);
}

function problemScope(store: BundleStore, fingerprint: string): ScopeContents {
  const missing: MissingEvidence[] = [];
  const problem = target(() => store.getProblem(fingerprint), `problem ${fingerprint}`);
  const diagnostics = allInstances(store, fingerprint, missing);
  const jobIds = [...new Set(diagnostics.flatMap((instance) => (instance.job_id ? [instance.job_id] : [])))];
  const jobs = jobsById(store, jobIds, missing);
  const events = eventsOfJobs(store, jobs.map((job) => job.job_id), missing);
  const included = new Set(events.map((event) => event.event_id));
  for (const eventId of new Set(diagnostics.flatMap((instance) => instance.evidence_refs.fr_event_ids))) {
    if (included.has(eventId) || events.length >= BUNDLE_LIMITS.events) continue;
    const [event] = store.listEvents({ event_id: eventId, limit: 1 }).items;
    if (event) events.push(event);
    else missing.push({ kind: 'fr_event', reason: `event ${eventId} referenced by a diagnostic is no longer stored (retention)` });
  }
  events.sort((a, b) => a.seq - b.seq);
  return { scope: 'problem', jobs, events, diagnostics, problem, window: null, missing };
}

function windowScope(store: BundleStore, from: string, to: string): ScopeContents {
  const missing: MissingEvidence[] = [];
  const fromMs = parseRfc3339(from)!;
  const toMs = parseRfc3339(to)!;
  const found = collectEvents(store, { from: fromMs, to: toMs }, BUNDLE_LIMITS.events);
  if (found.truncated) missing.push({ kind: 'events', reason: `more than ${BUNDLE_LIMITS.events} events in the window; the oldest ${BUNDLE_LIMITS.events} are included` });
  retentionNote(store, missing, fromMs);
  const jobIds = new Set(found.events.flatMap((event) => (event.job_id ? [event.job_id] : [])));
  const jobs = jobsById(store, jobIds, missing);
  const diagnostics = store.diagnosticsInWindow(fromMs, toMs, BUNDLE_LIMITS.diagnostics + 1);
  if (diagnostics.length > BUNDLE_LIMITS.diagnostics) {
    missing.push({ kind: 'diagnostics', reason: `more than ${BUNDLE_LIMITS.diagnostics} diagnostics in the window; the oldest ${BUNDLE_LIMITS.diagnostics} are included` });
  }
  return { scope: 'time_window', jobs, events: found.events, diagnostics: diagnostics.slice(0, BUNDLE_LIMITS.diagnostics), problem: null, window: { from, to }, missing };
}

export function collectScope(inputs: BundleInputs, store: BundleStore): ScopeContents {
  // The schema has checked that each scope carries exactly its own fields.
  switch (inputs.scope ?? 'job') {
    case 'job':
      return jobScope(store, inputs.target_job_id!);
    case 'trace':
      return traceScope(store, inputs.trace_id!);
    case 'problem':
      return problemScope(store, inputs.fingerprint!);
    case 'time_window':
      return windowScope(store, inputs.from!, inputs.to!);
  }
}
