/**
 * Fetches lanes for the visible window with a margin of half a window on each side, so panning
 * within it draws from what is loaded; a new fetch is made when the view leaves the loaded range
 * or the zoom changes enough that the loaded detail no longer fits, once the view has settled
 * (the first fetch goes at once). The last answer stays on screen while the next one is on its way.
 */
import { useEffect, useRef, useState } from 'react';
import type { LanesWindow } from '../../../src-shared/inspector-views';
import { useApi, usePush } from '../../api/ApiContext';
import type { ClientError } from '../../api/records';
import type { TimeWindow } from './lanes-layout';

const SETTLE_MS = 90;
/** Bars per visible window when runs are counted rather than drawn: about one per 20 px. */
const BUCKETS_PER_WINDOW = 60;

interface Loaded {
  range: TimeWindow;
  data: LanesWindow;
}

/** Half a window's width of margin on each side, rounded to whole milliseconds. */
function paddedRange(view: TimeWindow): TimeWindow {
  const margin = (view.to - view.from) / 2;
  return { from: Math.round(view.from - margin), to: Math.round(view.to + margin) };
}

function covers(loaded: Loaded | null, view: TimeWindow): boolean {
  if (!loaded) return false;
  const width = view.to - view.from;
  const loadedWidth = (loaded.range.to - loaded.range.from) / 2;
  return loaded.range.from <= view.from && view.to <= loaded.range.to && width > loadedWidth / 2 && width < loadedWidth * 2;
}

export function useLanesData(view: TimeWindow | null): { data: LanesWindow | null; range: TimeWindow | null; loading: boolean; error: ClientError | null } {
  const api = useApi();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [loading, setLoading] = useState(false);
  const [stale, setStale] = useState(0);
  const generation = useRef(0);

  // Runs that start or end change what is drawn; refetch on the next settle rather than per event.
  usePush('event.appended', (message) => {
    const type = message.payload.event.type;
    if (type === 'workflow_run_started' || type === 'workflow_run_finished') setStale((count) => count + 1);
  });

  const wanted = view !== null && (!covers(loaded, view) || stale > 0) ? paddedRange(view) : null;
  const wantedKey = wanted ? `${wanted.from}/${wanted.to}/${stale}` : null;
  const firstLoad = loaded === null;
  useEffect(() => {
    if (!wantedKey) return;
    const [from, to] = wantedKey.split('/').map(Number) as [number, number];
    const current = ++generation.current;
    const timer = window.setTimeout(async () => {
      setLoading(true);
      const result = await api['timeline.lanes']({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), buckets: BUCKETS_PER_WINDOW * 2 });
      if (current !== generation.current) return;
      setLoading(false);
      setStale(0);
      if (result.ok) {
        setLoaded({ range: { from, to }, data: result.data });
        setError(null);
      } else setError(result.error);
    }, firstLoad ? 0 : SETTLE_MS);
    return () => window.clearTimeout(timer);
  }, [api, wantedKey, firstLoad]);

  return { data: loaded?.data ?? null, range: loaded?.range ?? null, loading, error };
}
