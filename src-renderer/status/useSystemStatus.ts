/** system.status, kept current by recovery.progress pushes; shared through a context. */
import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { ChannelOutput } from '../../src-shared/ipc';
import { useApi, usePush, useResync } from '../api/ApiContext';
import type { ClientError } from '../api/records';

export type SystemStatus = ChannelOutput<'system.status'>;

export interface StatusState {
  status: SystemStatus | null;
  error: ClientError | null;
  /** Asks the host to probe the model runtime again now. */
  recheck: () => Promise<void>;
}

export function useSystemStatusSource(): StatusState {
  const api = useApi();
  const [state, setState] = useState<Omit<StatusState, 'recheck'>>({ status: null, error: null });
  const fetchStatus = useCallback(
    async (input: { check_model_runtime?: boolean }) => {
      const result = await api['system.status'](input);
      setState((current) => (result.ok ? { status: result.data, error: null } : { status: current.status, error: result.error }));
    },
    [api],
  );
  const load = useCallback(() => fetchStatus({}), [fetchStatus]);
  const recheck = useCallback(() => fetchStatus({ check_model_runtime: true }), [fetchStatus]);
  useEffect(() => void load(), [load]);
  usePush('recovery.progress', (message) =>
    setState((current) => (current.status ? { status: { ...current.status, recovery: message.payload.recovery }, error: null } : current)),
  );
  useResync(() => void load());
  // While recovery waits on fresh heartbeats, ask again when it says it will be ready.
  const readyIn = state.status?.recovery.state === 'complete' ? null : state.status?.recovery.ready_in_ms;
  useEffect(() => {
    if (readyIn === null || readyIn === undefined) return;
    const timer = window.setTimeout(() => void load(), Math.max(250, Math.min(readyIn, 5_000)));
    return () => window.clearTimeout(timer);
  }, [readyIn, load, state.status]);
  return { ...state, recheck };
}

export const StatusContext = createContext<StatusState>({ status: null, error: null, recheck: async () => undefined });

export function useSystemStatus(): StatusState {
  return useContext(StatusContext);
}
