/** Timeline events: keyset pages, a live tail that can be paused, refetch after a missed push. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FlightEvent } from '../../src-shared/events';
import { useApi, usePush, useResync } from '../api/ApiContext';
import { isUnsupported, type ClientError, type Row } from '../api/records';
import type { EventFilters } from '../state/hash-state';
import { eventListInput, eventMatches } from './event-filters';

export interface EventList {
  rows: Row<FlightEvent>[];
  purgedBefore: string | null;
  hasMore: boolean;
  status: 'loading' | 'ready' | 'error';
  error: ClientError | null;
  /** Live events held back while the tail is paused. */
  held: number;
  insertedAbove: number;
  loadMore: () => void;
  reload: () => void;
}

function eventKey(row: Row<FlightEvent>): string {
  return isUnsupported(row) ? `unsupported:${row.raw_id}` : row.event_id;
}

export function useEventList(filters: EventFilters, paused: boolean): EventList {
  const api = useApi();
  const [rows, setRows] = useState<Row<FlightEvent>[]>([]);
  const [purgedBefore, setPurgedBefore] = useState<string | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [status, setStatus] = useState<EventList['status']>('loading');
  const [error, setError] = useState<ClientError | null>(null);
  const [held, setHeld] = useState<FlightEvent[]>([]);
  const [insertedAbove, setInsertedAbove] = useState(0);
  const generation = useRef(0);
  const cursorRef = useRef<string | null>(null);
  const loadingMore = useRef(false);
  const filterKey = JSON.stringify(filters);
  const filtersRef = useRef(filters);

  const load = useCallback(async () => {
    const current = ++generation.current;
    setStatus('loading');
    setError(null);
    setHeld([]);
    const result = await api['events.list'](eventListInput(filtersRef.current, null));
    if (current !== generation.current) return;
    if (!result.ok) {
      setError(result.error);
      setStatus('error');
      return;
    }
    setRows(result.data.items);
    setPurgedBefore(result.data.purged_before);
    cursorRef.current = result.data.next_cursor;
    setCursor(result.data.next_cursor);
    setStatus('ready');
  }, [api]);

  useEffect(() => {
    filtersRef.current = JSON.parse(filterKey) as EventFilters;
    setRows([]);
    void load();
  }, [filterKey, load]);

  const loadMore = useCallback(async () => {
    const next = cursorRef.current;
    if (!next || loadingMore.current) return;
    const current = generation.current;
    loadingMore.current = true;
    const result = await api['events.list'](eventListInput(filtersRef.current, next));
    loadingMore.current = false;
    if (current !== generation.current || !result.ok) return;
    setRows((existing) => {
      const seen = new Set(existing.map(eventKey));
      return [...existing, ...result.data.items.filter((row) => !seen.has(eventKey(row)))];
    });
    cursorRef.current = result.data.next_cursor;
    setCursor(result.data.next_cursor);
  }, [api]);

  const addLive = useCallback((events: FlightEvent[]) => {
    if (events.length === 0) return;
    if (filtersRef.current.order === 'desc') {
      setRows((existing) => [...[...events].reverse(), ...existing]);
      setInsertedAbove((count) => count + events.length);
    } else if (cursorRef.current === null) {
      setRows((existing) => [...existing, ...events]);
    }
  }, []);

  usePush('event.appended', (message) => {
    const event = message.payload.event;
    if (!eventMatches(event, filtersRef.current)) return;
    if (paused) setHeld((existing) => [...existing, event]);
    else addLive([event]);
  });

  // Resuming the tail releases what was held, in arrival order.
  useEffect(() => {
    if (paused || held.length === 0) return;
    addLive(held);
    setHeld([]);
  }, [paused, held, addLive]);

  useResync(() => {
    if (!paused) void load();
  });

  return {
    rows,
    purgedBefore,
    hasMore: cursor !== null,
    status,
    error,
    held: held.length,
    insertedAbove,
    loadMore: () => void loadMore(),
    reload: () => void load(),
  };
}
