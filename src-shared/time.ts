/**
 * One time representation per layer: integer epoch milliseconds in the store, RFC3339 UTC strings
 * (always with milliseconds and `Z`) at every API boundary. Never `Date` objects across IPC.
 */
import { z } from 'zod';

/**
 * The last conversion, reused: the writes of one step share their millisecond (a job's row, its
 * run and its events), and the store converts each time it returns a record, about 45 times a job.
 */
let lastMs = Number.NaN;
let lastText = '';

export function toRfc3339(epochMs: number): string {
  if (epochMs !== lastMs) {
    lastText = new Date(epochMs).toISOString();
    lastMs = epochMs;
  }
  return lastText;
}

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Accepts any RFC3339 timestamp with an explicit offset; returns epoch ms. */
export function parseRfc3339(value: string): number | null {
  if (!RFC3339_UTC.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

export const Rfc3339Schema = z.string().refine((value) => parseRfc3339(value) !== null, {
  message: 'expected an RFC3339 timestamp with an explicit offset, e.g. 2026-01-20T10:00:00.000Z',
});

/** A duration for people: "850 ms", "4.2 s", "3 min 5 s", "2 h 10 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1_000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
