/**
 * The one transport-agnostic router both hosts serve: parse the input with the channel's zod schema,
 * call the handler, return an envelope. It never throws, and a handler only ever sees parsed input,
 * so a rejected call cannot write anything.
 */
import type { z } from 'zod';
import {
  ERROR_CODES,
  HskError,
  codeOfZodError,
  formatIssuePath,
  issuesOf,
  type ErrorBody,
  type ErrorCode,
  type InputErrorDetails,
} from '../../src-shared/errors';
import { CHANNELS, isChannel, type Channel, type Envelope } from '../../src-shared/ipc';
import type { ChannelHandlers } from '../core/types';
import { namingAcceptedFields } from './accepted-fields';

export interface Router {
  call(channel: string, rawInput: unknown): Promise<Envelope<unknown>>;
}

/** The event that records a refused input: `details.rejection` of the refusal. */
export interface RejectionEvent {
  event_id: string;
  trace_id: string;
}

export interface RouterOptions {
  /** Where unexpected errors are reported (their stack never crosses the boundary). */
  logError?: (message: string, error: unknown) => void;
  /**
   * Told about every input the contract refused (the core audits refused job submissions); the
   * audit event it returns is named in the refusal, so a caller can find it.
   */
  onInputRejected?: (channel: Channel, rawInput: unknown, error: ErrorBody) => RejectionEvent | null;
}

function fail(code: ErrorCode, message: string, details?: unknown): Envelope<never> {
  const error: ErrorBody = details === undefined ? { code, message } : { code, message, details };
  return { ok: false, error };
}

export function inputErrorEnvelope(channel: Channel, error: z.ZodError): Envelope<never> {
  const code = codeOfZodError(error);
  const details: InputErrorDetails = { issues: issuesOf(error) };
  const what = code === ERROR_CODES.invalidJobKind ? 'job_kind' : 'input';
  return fail(code, `Invalid ${what} for ${channel}`, details);
}

/**
 * Where the input holds a lone UTF-16 surrogate (a key or a string value), or null. Such text
 * cannot be stored as UTF-8: SQLite would keep U+FFFD instead of what was acknowledged, so it is
 * refused rather than changed.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATE_ALL = new RegExp(LONE_SURROGATE.source, 'g');

/** Deeper than any input may be (the schemas refuse it): not walked further. */
const MAX_WALK_DEPTH = 64;

export function illFormedTextPath(value: unknown, path: PropertyKey[] = []): PropertyKey[] | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : null;
  if (path.length > MAX_WALK_DEPTH) return null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = illFormedTextPath(item, [...path, index]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (LONE_SURROGATE.test(key)) return [...path, key];
      const found = illFormedTextPath(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

function illFormedTextEnvelope(channel: Channel, path: PropertyKey[]): Envelope<never> {
  const where = formatIssuePath(path.map((part) => (typeof part === 'string' ? part.replace(LONE_SURROGATE_ALL, '\uFFFD') : part)));
  const message = 'contains a lone UTF-16 surrogate, which cannot be stored as sent';
  const details: InputErrorDetails = { issues: [{ path: where, code: 'invalid_text', message }] };
  return fail(ERROR_CODES.invalidInput, `Invalid input for ${channel}: ${where}: ${message}`, details);
}

function defaultLogError(message: string, error: unknown): void {
  console.error(message, error instanceof Error ? error.stack : error);
}

export function createRouter(handlers: ChannelHandlers, options: RouterOptions = {}): Router {
  const logError = options.logError ?? defaultLogError;

  // An audit hook that fails must not turn a refusal into an internal error.
  function reportRejection(channel: Channel, rawInput: unknown, error: ErrorBody): RejectionEvent | null {
    try {
      return options.onInputRejected?.(channel, rawInput, error) ?? null;
    } catch (hookError) {
      logError(`[router] onInputRejected failed for ${channel}:`, hookError);
      return null;
    }
  }

  /** A refused input: reported to the audit hook, whose event the refusal then names. */
  function refuse(channel: Channel, rawInput: unknown, refusal: Envelope<never>): Envelope<never> {
    if (refusal.ok) return refusal;
    const rejection = reportRejection(channel, rawInput, refusal.error);
    if (!rejection) return refusal;
    const details = { ...(refusal.error.details as InputErrorDetails), rejection };
    return { ok: false, error: { ...refusal.error, details } };
  }

  async function dispatch<C extends Channel>(channel: C, rawInput: unknown): Promise<Envelope<unknown>> {
    const illFormed = illFormedTextPath(rawInput);
    if (illFormed !== null) return refuse(channel, rawInput, illFormedTextEnvelope(channel, illFormed));
    const parsed = CHANNELS[channel].input.safeParse(rawInput);
    if (!parsed.success) {
      return refuse(channel, rawInput, namingAcceptedFields(channel, parsed.error, inputErrorEnvelope(channel, parsed.error)));
    }
    const handler = handlers[channel] as (input: unknown, raw: unknown) => Promise<unknown>;
    const data = await handler(parsed.data, rawInput);
    return { ok: true, data };
  }

  return {
    async call(channel, rawInput) {
      if (!isChannel(channel)) {
        return fail(ERROR_CODES.notFound, `Unknown channel ${JSON.stringify(channel.slice(0, 64))}`);
      }
      try {
        return await dispatch(channel, rawInput);
      } catch (error) {
        if (error instanceof HskError) return { ok: false, error: error.toBody() };
        logError(`[router] ${channel} failed unexpectedly:`, error);
        return fail(ERROR_CODES.internal, 'Internal error; see the host log for details');
      }
    },
  };
}
