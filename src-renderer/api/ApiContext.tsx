import { createContext, useContext, useEffect, useRef } from 'react';
import type { ClientApi } from './client';
import type { PushEventName, PushMessage } from '../../src-shared/ipc';

export const ApiContext = createContext<ClientApi | null>(null);

export function useApi(): ClientApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiContext');
  return api;
}

/** Subscribes to a push event for the component's lifetime; the latest listener is always used. */
export function usePush<E extends PushEventName>(name: E, listener: (message: PushMessage<E>) => void): void {
  const api = useApi();
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => api.on(name, (message) => latest.current(message)), [api, name]);
}

/** Runs `listener` when pushes may have been missed, so the component refetches what it shows. */
export function useResync(listener: () => void): void {
  const api = useApi();
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => api.onResync(() => latest.current()), [api]);
}
