/**
 * Problems in keyset pages. A new diagnostic or a status change (their Flight Recorder events
 * arrive as pushes) reloads the first page, coalesced so a burst of failures reloads once.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Problem } from '../../src-shared/diagnostics';
import { useApi, usePush, useResync } from '../api/ApiContext';
import type { ClientError } from '../api/records';
import type { ProblemFilters } from '../state/hash-state';
import { problemListInput } from './problem-filters';

const COALESCE_MS = 250;

export interface ProblemList {
  rows: Problem[];
  hasMore: boolean;
  status: 'loading' | 'ready' | 'error';
  error: ClientError | null;
  insertedAbove: number;
  loadMore: () => void;
  reload: () => void;
}

export function useProblemList(filters: ProblemFilters): ProblemList {
  const api = useApi();
  const [rows, setRows] = useState<Problem[]>([]);
  const [status, setStatus] = useState<ProblemList['status']>('loading');
  const [error, setError] = useState<ClientError | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const cursorRef = useRef<string | null>(null);
  const generation = useRef(0);
  const loadingMore = useRef(false);
  const filterKey = JSON.stringify(filters);
  const filtersRef = useRef(filters);
  const pending = useRef<number | null>(null);

  const load = useCallback(async () => {
    const current = ++generation.current;
    setStatus((previous) => (previous === 'ready' ? 'ready' : 'loading'));
    const result = await api['problems.list'](problemListInput(filtersRef.current, null));
    if (current !== generation.current) return;
    if (!result.ok) {
      setError(result.error);
      setStatus('error');
      return;
    }
    setError(null);
    setRows(result.data.items);
    cursorRef.current = result.data.next_cursor;
    setHasMore(result.data.next_cursor !== null);
    setStatus('ready');
  }, [api]);

  useEffect(() => {
    filtersRef.current = JSON.parse(filterKey) as ProblemFilters;
    setRows([]);
    setStatus('loading');
    void load();
  }, [filterKey, load]);

  const loadMore = useCallback(async () => {
    const next = cursorRef.current;
    if (!next || loadingMore.current) return;
    const current = generation.current;
    loadingMore.current = true;
    const result = await api['problems.list'](problemListInput(filtersRef.current, next));
    loadingMore.current = false;
    if (current !== generation.current || !result.ok) return;
    setRows((existing) => {
      const seen = new Set(existing.map((row) => row.fingerprint));
      return [...existing, ...result.data.items.filter((row) => !seen.has(row.fingerprint))];
    });
    cursorRef.current = result.data.next_cursor;
    setHasMore(result.data.next_cursor !== null);
  }, [api]);

  const reloadSoon = useCallback(() => {
    if (pending.current !== null) return;
    pending.current = window.setTimeout(() => {
      pending.current = null;
      void load();
    }, COALESCE_MS);
  }, [load]);
  useEffect(() => () => {
    if (pending.current !== null) window.clearTimeout(pending.current);
  }, []);

  usePush('event.appended', (message) => {
    const { type } = message.payload.event;
    if (type === 'diagnostic' || type === 'problem_status_changed') reloadSoon();
  });
  useResync(() => void load());

  return { rows, hasMore, status, error, insertedAbove: 0, loadMore: () => void loadMore(), reload: () => void load() };
}
