/** Whether this inspector shows live data or an opened debug bundle (read-only), shared through a context. */
import { createContext, useContext, useEffect, useState } from 'react';
import type { BundleStatus } from '../../src-shared/inspector-views';
import { useApi } from '../api/ApiContext';

export function useBundleStatusSource(): BundleStatus | null {
  const api = useApi();
  const [status, setStatus] = useState<BundleStatus | null>(null);
  useEffect(() => {
    void api['bundles.status']({}).then((result) => setStatus(result.ok ? result.data : { mode: 'live' }));
  }, [api]);
  return status;
}

export const BundleContext = createContext<BundleStatus | null>(null);

/** True while a bundle is shown: nothing may be submitted, changed or exported. */
export function useReadOnly(): boolean {
  return useContext(BundleContext)?.mode === 'bundle';
}
