/**
 * Parsing what the main process sends back. Every output is checked against its channel's output
 * schema; list items are parsed one by one so a single damaged row (say, a job_kind that is not
 * canonical) becomes an "unsupported record" beside the valid rows instead of hiding them.
 */
import type { z } from 'zod';
import { CHANNELS, type Channel, type ChannelOutput } from '../../src-shared/ipc';
import { AiJobSchema, UnsupportedRecordSchema, isUnsupportedRecord, type AiJob } from '../../src-shared/job';
import { FlightEventSchema, type FlightEvent } from '../../src-shared/events';
import { issuesOf, type ErrorBody } from '../../src-shared/errors';

/** A record the renderer refuses to show as valid: only its raw id and what was wrong. */
export interface UnsupportedRecord {
  unsupported: true;
  raw_id: string;
  problems: string[];
  raw: unknown;
}

export type Row<T> = T | UnsupportedRecord;

export function isUnsupported<T>(row: Row<T>): row is UnsupportedRecord {
  return typeof row === 'object' && row !== null && (row as UnsupportedRecord).unsupported === true;
}

/** Errors the client adds to the server's codes: the server never sends these. */
export const CLIENT_ERROR_CODES = {
  transport: 'CLIENT-TRANSPORT',
  unsupportedRecord: 'CLIENT-UNSUPPORTED-RECORD',
  badEnvelope: 'CLIENT-BAD-ENVELOPE',
} as const;

export interface ClientError {
  code: ErrorBody['code'] | (typeof CLIENT_ERROR_CODES)[keyof typeof CLIENT_ERROR_CODES];
  message: string;
  details?: unknown;
}

export type ClientResult<T> = { ok: true; data: T } | { ok: false; error: ClientError };

/** Outputs as the renderer sees them: list channels carry rows that may be unsupported. */
export type ClientOutput<C extends Channel> = C extends 'jobs.list'
  ? { items: Row<AiJob>[]; next_cursor: string | null }
  : C extends 'events.list'
    ? { items: Row<FlightEvent>[]; next_cursor: string | null; purged_before: string | null }
    : ChannelOutput<C>;

function rawIdOf(raw: unknown, idKey: string): string {
  if (typeof raw === 'object' && raw !== null) {
    const id = (raw as Record<string, unknown>)[idKey];
    if (typeof id === 'string' || typeof id === 'number') return String(id);
  }
  return '(no id)';
}

function describeIssues(error: z.ZodError): string[] {
  return issuesOf(error).map((issue) => `${issue.path}: ${issue.message}`);
}

export function parseRow<T>(schema: z.ZodType<T>, raw: unknown, idKey: string): Row<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  return { unsupported: true, raw_id: rawIdOf(raw, idKey), problems: describeIssues(parsed.error), raw };
}

/** A job row; the main process's own unsupported-record marker keeps its raw id and reason. */
export function parseJobRow(raw: unknown): Row<AiJob> {
  // Only a row that says it is a marker is parsed as one: a failed marker parse of every valid job
  // would build a ZodError per row, on the list's hot path (a page of 200 while scrolling).
  if (isUnsupportedRecord(raw)) {
    const marker = UnsupportedRecordSchema.safeParse(raw);
    if (marker.success) return { unsupported: true, raw_id: marker.data.raw_id, problems: [marker.data.reason], raw };
  }
  return parseRow(AiJobSchema, raw, 'job_id');
}

export function parseEventRow(raw: unknown): Row<FlightEvent> {
  return parseRow(FlightEventSchema, raw, 'event_id');
}

function badShape(channel: Channel, problems: string[]): ClientResult<never> {
  return {
    ok: false,
    error: { code: CLIENT_ERROR_CODES.badEnvelope, message: `${channel} answered in an unexpected shape`, details: problems },
  };
}

function parseListEnvelope<T>(
  channel: Channel,
  data: unknown,
  parseItem: (raw: unknown) => Row<T>,
): ClientResult<{ items: Row<T>[]; next_cursor: string | null; purged_before?: string | null }> {
  if (typeof data !== 'object' || data === null || !Array.isArray((data as { items?: unknown }).items)) {
    return badShape(channel, ['items: expected a list']);
  }
  const body = data as { items: unknown[]; next_cursor?: unknown; purged_before?: unknown };
  const nextCursor = typeof body.next_cursor === 'string' ? body.next_cursor : null;
  const result = { items: body.items.map(parseItem), next_cursor: nextCursor };
  if (channel !== 'events.list') return { ok: true, data: result };
  const purgedBefore = typeof body.purged_before === 'string' ? body.purged_before : null;
  return { ok: true, data: { ...result, purged_before: purgedBefore } };
}

/** Outputs that are one job: a damaged job becomes an error carrying its raw id. */
function parseSingle<C extends Channel>(channel: C, data: unknown): ClientResult<ClientOutput<C>> {
  const schema = CHANNELS[channel].output as z.ZodType;
  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, data: parsed.data as ClientOutput<C> };
  const problems = describeIssues(parsed.error);
  if (schema === AiJobSchema) {
    const rawId = rawIdOf(data, 'job_id');
    return {
      ok: false,
      error: {
        code: CLIENT_ERROR_CODES.unsupportedRecord,
        message: `unsupported record ${rawId}`,
        details: { raw_id: rawId, problems },
      },
    };
  }
  return badShape(channel, problems);
}

function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorBody).code === 'string' &&
    typeof (value as ErrorBody).message === 'string'
  );
}

/** Turns whatever arrived into a typed result; never throws. */
export function parseEnvelope<C extends Channel>(channel: C, envelope: unknown): ClientResult<ClientOutput<C>> {
  if (typeof envelope !== 'object' || envelope === null || typeof (envelope as { ok?: unknown }).ok !== 'boolean') {
    return badShape(channel, ['envelope: expected { ok, data | error }']);
  }
  const body = envelope as { ok: boolean; data?: unknown; error?: unknown };
  if (!body.ok) {
    if (isErrorBody(body.error)) return { ok: false, error: body.error };
    return badShape(channel, ['error: expected { code, message }']);
  }
  if (channel === 'jobs.list') {
    return parseListEnvelope(channel, body.data, parseJobRow) as ClientResult<ClientOutput<C>>;
  }
  if (channel === 'events.list') {
    return parseListEnvelope(channel, body.data, parseEventRow) as ClientResult<ClientOutput<C>>;
  }
  return parseSingle(channel, body.data);
}
