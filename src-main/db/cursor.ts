/**
 * Opaque keyset cursors. A cursor names the last row of a page by its sort key, so a page never
 * skips or repeats rows when new rows arrive in between (unlike OFFSET).
 */
import { fieldError, type HskError } from '../../src-shared/errors';

interface CursorKeys {
  events: { seq: number };
  jobs: { sort: string; value: number; rowid: number };
  problems: { last_seen: number; fingerprint: string };
  diagnostics: { timestamp: number; id: string };
}

export function encodeCursor<K extends keyof CursorKeys>(kind: K, keys: CursorKeys[K]): string {
  return Buffer.from(JSON.stringify({ kind, ...keys })).toString('base64url');
}

function badCursor(): HskError {
  return fieldError('cursor', 'invalid_cursor', 'cursor is not one this server issued for this query');
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

export function decodeCursor<K extends keyof CursorKeys>(cursor: string, kind: K): CursorKeys[K] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (typeof parsed !== 'object' || parsed === null) throw badCursor();
  const value = parsed as Record<string, unknown>;
  if (value.kind !== kind) throw badCursor();
  if (kind === 'events' && isInteger(value.seq)) return { seq: value.seq } as CursorKeys[K];
  if (kind === 'jobs' && typeof value.sort === 'string' && isInteger(value.value) && isInteger(value.rowid)) {
    return { sort: value.sort, value: value.value, rowid: value.rowid } as CursorKeys[K];
  }
  if (kind === 'problems' && isInteger(value.last_seen) && typeof value.fingerprint === 'string') {
    return { last_seen: value.last_seen, fingerprint: value.fingerprint } as CursorKeys[K];
  }
  if (kind === 'diagnostics' && isInteger(value.timestamp) && typeof value.id === 'string') {
    return { timestamp: value.timestamp, id: value.id } as CursorKeys[K];
  }
  throw badCursor();
}
