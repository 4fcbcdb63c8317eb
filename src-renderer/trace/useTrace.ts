/**
 * One trace: traces.get paints the tree at once (jobs, runs, nodes and the first events); the rest
 * of its events follow page by page through events.list, each page growing the tree, up to a
 * bound. Refetched (at most once a second) while its events keep arriving.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FlightEvent } from '../../src-shared/events';
import type { Trace } from '../../src-shared/inspector-views';
import { LIMITS } from '../../src-shared/job';
import { useApi, usePush, useResync } from '../api/ApiContext';
import { isUnsupported, type ClientError } from '../api/records';

const REFRESH_MS = 1_000;
/** Events one view keeps; past this the view says it shows only the first ones. */
export const TRACE_VIEW_MAX_EVENTS = 50_000;

export interface TraceState {
  trace: Trace | null;
  error: ClientError | null;
  /** More events are on their way. */
  loadingMore: boolean;
  /** The trace has more events than the view keeps. */
  capped: boolean;
  reload: () => void;
}

export function useTrace(traceId: string): TraceState {
  const api = useApi();
  const [trace, setTrace] = useState<Trace | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [capped, setCapped] = useState(false);
  const generation = useRef(0);
  const refresh = useRef<number | null>(null);

  const readRest = useCallback(async (first: Trace, current: number) => {
    let cursor = first.events_next_cursor;
    let events: FlightEvent[] = first.events;
    while (cursor && events.length < TRACE_VIEW_MAX_EVENTS) {
      const page = await api['events.list']({ trace_id: first.trace_id, order: 'asc', limit: LIMITS.listLimitMax, cursor });
      if (current !== generation.current) return;
      if (!page.ok) break;
      events = [...events, ...page.data.items.filter((row): row is FlightEvent => !isUnsupported(row))];
      cursor = page.data.next_cursor;
      const loaded = events;
      setTrace((shown) => (shown ? { ...shown, events: loaded, events_next_cursor: cursor } : shown));
    }
    setLoadingMore(false);
    setCapped(cursor !== null);
  }, [api]);

  const load = useCallback(async () => {
    const current = ++generation.current;
    const result = await api['traces.get']({ trace_id: traceId });
    if (current !== generation.current) return;
    if (!result.ok) return setError(result.error);
    setTrace(result.data);
    setError(null);
    setLoadingMore(result.data.events_next_cursor !== null);
    await readRest(result.data, current);
  }, [api, traceId, readRest]);

  useEffect(() => {
    setTrace(null);
    setError(null);
    void load();
    return () => {
      generation.current += 1;
      if (refresh.current !== null) window.clearTimeout(refresh.current);
      refresh.current = null;
    };
  }, [load]);

  usePush('event.appended', (message) => {
    if (message.payload.event.trace_id !== traceId || refresh.current !== null) return;
    refresh.current = window.setTimeout(() => {
      refresh.current = null;
      void load();
    }, REFRESH_MS);
  });
  useResync(() => void load());

  return { trace, error, loadingMore, capped, reload: () => void load() };
}
