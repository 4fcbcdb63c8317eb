/** One trace from traces.get, refetched (at most once a second) while its events keep arriving. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Trace } from '../../src-shared/inspector-views';
import { useApi, usePush, useResync } from '../api/ApiContext';
import type { ClientError } from '../api/records';

const REFRESH_MS = 1_000;

export function useTrace(traceId: string): { trace: Trace | null; error: ClientError | null; reload: () => void } {
  const api = useApi();
  const [trace, setTrace] = useState<Trace | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const current = useRef(traceId);
  const refresh = useRef<number | null>(null);

  const load = useCallback(async () => {
    const result = await api['traces.get']({ trace_id: traceId });
    if (current.current !== traceId) return;
    if (result.ok) {
      setTrace(result.data);
      setError(null);
    } else setError(result.error);
  }, [api, traceId]);

  useEffect(() => {
    current.current = traceId;
    setTrace(null);
    setError(null);
    void load();
    return () => {
      if (refresh.current !== null) window.clearTimeout(refresh.current);
      refresh.current = null;
    };
  }, [traceId, load]);

  usePush('event.appended', (message) => {
    if (message.payload.event.trace_id !== traceId || refresh.current !== null) return;
    refresh.current = window.setTimeout(() => {
      refresh.current = null;
      void load();
    }, REFRESH_MS);
  });
  useResync(() => void load());

  return { trace, error, reload: () => void load() };
}
