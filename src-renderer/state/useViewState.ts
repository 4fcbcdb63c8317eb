/** The view state from the URL hash, and a way to change it (push for navigation, replace for typing). */
import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import { decodeViewState, encodeViewState, type ViewState } from './hash-state';

export interface Navigate {
  (update: (state: ViewState) => ViewState, options?: { replace?: boolean }): void;
}

export function useHashViewState(): [ViewState, Navigate] {
  const [state, setState] = useState(() => decodeViewState(window.location.hash));
  useEffect(() => {
    const onChange = () => setState(decodeViewState(window.location.hash));
    window.addEventListener('hashchange', onChange);
    window.addEventListener('popstate', onChange);
    return () => {
      window.removeEventListener('hashchange', onChange);
      window.removeEventListener('popstate', onChange);
    };
  }, []);
  const navigate = useCallback<Navigate>((update, options) => {
    const current = decodeViewState(window.location.hash);
    const hash = encodeViewState(update(current), window.location.hash);
    if (hash === window.location.hash || (hash === '#' && window.location.hash === '')) return;
    if (options?.replace) window.history.replaceState(window.history.state, '', hash);
    else window.history.pushState(window.history.state, '', hash);
    setState(decodeViewState(hash));
  }, []);
  return [state, navigate];
}

export const ViewStateContext = createContext<{ state: ViewState; navigate: Navigate } | null>(null);

export function useViewState(): { state: ViewState; navigate: Navigate } {
  const value = useContext(ViewStateContext);
  if (!value) throw new Error('useViewState outside ViewStateContext');
  return value;
}
