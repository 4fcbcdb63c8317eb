/**
 * Total and per-state counts for the current filter (jobs.count), fetched when the filter changes
 * and again when jobs change, at most once per REFRESH_MS however many pushes arrive.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobCounts } from '../../src-shared/inspector';
import { useApi, usePush, useResync } from '../api/ApiContext';
import type { JobFilters } from '../state/hash-state';
import { filterInput } from './job-filters';

const REFRESH_MS = 2_000;

export function useJobCounts(filters: JobFilters): JobCounts | null {
  const api = useApi();
  const [counts, setCounts] = useState<JobCounts | null>(null);
  const input = JSON.stringify(filterInput(filters));
  const generation = useRef(0);
  const timer = useRef<number | null>(null);

  const load = useCallback(async () => {
    const current = ++generation.current;
    const result = await api['jobs.count'](JSON.parse(input) as Parameters<(typeof api)['jobs.count']>[0]);
    if (current === generation.current && result.ok) setCounts(result.data);
  }, [api, input]);

  useEffect(() => {
    setCounts(null);
    void load();
  }, [load]);

  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    },
    [],
  );

  // The first change is counted at once; more changes within REFRESH_MS wait for one later count.
  const lastLoad = useRef(0);
  usePush('job.changed', () => {
    if (timer.current !== null) return;
    const wait = Math.max(0, lastLoad.current + REFRESH_MS - Date.now());
    timer.current = window.setTimeout(() => {
      timer.current = null;
      lastLoad.current = Date.now();
      void load();
    }, wait);
  });
  useResync(() => void load());
  return counts;
}
