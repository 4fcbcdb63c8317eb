/**
 * The jobs list: keyset pages as the user scrolls, live updates from pushes (batched per frame),
 * and refetches after a missed push. Row placement lives in job-list-merge.ts.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AiJob } from '../../src-shared/job';
import { useApi, usePush, useResync } from '../api/ApiContext';
import type { ClientError, Row } from '../api/records';
import type { JobFilters } from '../state/hash-state';
import { listInput } from './job-filters';
import { appendPage, applyPushedJobs, EMPTY_ROWS, mergeFirstPage, replaceJobs, type ListRows } from './job-list-merge';

export interface JobList extends ListRows {
  rows: Row<AiJob>[];
  hasMore: boolean;
  status: 'loading' | 'ready' | 'error';
  error: ClientError | null;
  loadingMore: boolean;
  loadMore: () => void;
  reload: () => void;
  refreshRows: (ids: string[]) => void;
  /** Places a job this page just created, without waiting for its push. */
  addLocal: (job: AiJob) => void;
}

export function useJobList(filters: JobFilters): JobList {
  const api = useApi();
  const [list, setList] = useState<ListRows>(EMPTY_ROWS);
  const [cursor, setCursor] = useState<string | null>(null);
  const [status, setStatus] = useState<JobList['status']>('loading');
  const [error, setError] = useState<ClientError | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const generation = useRef(0);
  const filtersRef = useRef(filters);
  const cursorRef = useRef<string | null>(null);
  const loadingMoreRef = useRef(false);
  const pending = useRef(new Map<string, AiJob>());
  const frame = useRef<number | null>(null);
  const filterKey = JSON.stringify(filters);

  const setNextCursor = (next: string | null) => {
    cursorRef.current = next;
    setCursor(next);
  };

  const loadFirstPage = useCallback(async () => {
    const current = ++generation.current;
    setStatus('loading');
    setError(null);
    const result = await api['jobs.list'](listInput(filtersRef.current, null));
    if (current !== generation.current) return;
    if (!result.ok) {
      setError(result.error);
      setStatus('error');
      return;
    }
    setList({ ...EMPTY_ROWS, rows: result.data.items });
    setNextCursor(result.data.next_cursor);
    setStatus('ready');
  }, [api]);

  // filterKey stands for the filters' content: a new object with the same values does not refetch.
  useEffect(() => {
    filtersRef.current = JSON.parse(filterKey) as JobFilters;
    setList(EMPTY_ROWS);
    setNextCursor(null);
    void loadFirstPage();
  }, [filterKey, loadFirstPage]);

  const loadMore = useCallback(async () => {
    const next = cursorRef.current;
    if (!next || loadingMoreRef.current) return;
    const current = generation.current;
    loadingMoreRef.current = true;
    setLoadingMore(true);
    const result = await api['jobs.list'](listInput(filtersRef.current, next));
    loadingMoreRef.current = false;
    setLoadingMore(false);
    if (current !== generation.current) return;
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setList((existing) => appendPage(existing, result.data.items));
    setNextCursor(result.data.next_cursor);
  }, [api]);

  const flushPushes = useCallback(() => {
    frame.current = null;
    const jobs = [...pending.current.values()];
    pending.current.clear();
    if (jobs.length === 0) return;
    const allLoaded = cursorRef.current === null;
    setList((existing) => applyPushedJobs(existing, jobs, filtersRef.current, allLoaded));
  }, []);

  usePush('job.changed', (message) => {
    pending.current.set(message.payload.job.job_id, message.payload.job);
    if (frame.current === null) frame.current = requestAnimationFrame(flushPushes);
  });

  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  const refreshRows = useCallback(
    async (ids: string[]) => {
      const results = await Promise.all(ids.map((job_id) => api['jobs.get']({ job_id })));
      const fresh = new Map<string, AiJob>();
      for (const result of results) if (result.ok) fresh.set(result.data.job_id, result.data);
      setList((existing) => replaceJobs(existing, fresh));
    },
    [api],
  );

  // After a gap, jobs may have changed or arrived unseen: merge the first page again.
  useResync(async () => {
    const current = generation.current;
    const result = await api['jobs.list'](listInput(filtersRef.current, null));
    if (!result.ok || current !== generation.current) return;
    setList((existing) => mergeFirstPage(existing, result.data.items, filtersRef.current));
  });

  return {
    ...list,
    hasMore: cursor !== null,
    status,
    error,
    loadingMore,
    loadMore: () => void loadMore(),
    reload: () => void loadFirstPage(),
    refreshRows: (ids) => void refreshRows(ids),
    addLocal: (job) => setList((existing) => applyPushedJobs(existing, [job], filtersRef.current, cursorRef.current === null)),
  };
}
