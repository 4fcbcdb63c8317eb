/** The Jobs console: filters, the virtualised list, and the inspector beside it. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { isUnsupported } from '../api/records';
import { useViewState } from '../state/useViewState';
import type { JobFilters } from '../state/hash-state';
import { Empty, ErrorNote } from '../components/States';
import { useEscape, useGlobalKeys } from '../lib/keyboard';
import { JobInspector } from '../inspector/JobInspector';
import { JobFiltersBar } from './JobFiltersBar';
import { JobTable } from './JobTable';
import { useJobList } from './useJobList';
import { rowId } from './job-list-merge';
import { SubmitDialog } from '../submit/SubmitDialog';
import { useReadOnly } from '../bundle/useBundleStatus';
import { searchTerms } from '../components/Highlight';
import { Splitter, usePaneWidth } from '../components/Splitter';
import { JobCountsBar } from './JobCountsBar';
import { BulkActions } from './BulkCancel';

const INSPECTOR_MIN_PX = 360;
/** The list keeps at least this much of the window. */
const LIST_MIN_PX = 420;
const inspectorMax = (windowWidth: number) => windowWidth - LIST_MIN_PX;

/** Jobs chosen for a bulk action: cleared whenever the filter changes what the list holds. */
function useChosenJobs(filterKey: string) {
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => setChosen(new Set()), [filterKey]);
  const toggle = useCallback(
    (jobId: string) =>
      setChosen((current) => {
        const next = new Set(current);
        if (!next.delete(jobId)) next.add(jobId);
        return next;
      }),
    [],
  );
  const chooseAll = useCallback((jobIds: string[] | null) => setChosen(new Set(jobIds ?? [])), []);
  return { chosen, toggle, chooseAll };
}

export function JobsView() {
  const { state, navigate } = useViewState();
  const list = useJobList(state.jobs);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const selectedId = state.jobId;
  const readOnly = useReadOnly();
  const { chosen, toggle, chooseAll } = useChosenJobs(JSON.stringify(state.jobs));
  const terms = useMemo(() => searchTerms(state.jobs.text), [state.jobs.text]);
  const inspectorPane = usePaneWidth('hsk.inspector-width', 0.44, INSPECTOR_MIN_PX, inspectorMax);

  // The keyboard cursor follows the selection (e.g. after back/forward).
  useEffect(() => {
    if (selectedId) setActiveId(selectedId);
  }, [selectedId]);

  const open = useCallback((jobId: string) => navigate((current) => ({ ...current, jobId })), [navigate]);
  const close = useCallback(() => navigate((current) => ({ ...current, jobId: null })), [navigate]);
  // Stable, so the memoised filter and count bars skip the renders a loaded page causes.
  const setFilters = useCallback(
    (jobs: JobFilters, options?: { replace?: boolean }) => navigate((current) => ({ ...current, jobs }), options),
    [navigate],
  );
  const setStates = useCallback((states: JobFilters['states']) => setFilters({ ...state.jobs, states }), [setFilters, state.jobs]);

  useEscape(close, selectedId !== null);
  useGlobalKeys({
    move: (delta) => {
      const index = activeId === null ? -1 : list.rows.findIndex((row) => rowId(row) === activeId);
      const next = list.rows[Math.max(0, Math.min(list.rows.length - 1, index + delta))];
      if (next) setActiveId(rowId(next));
    },
    open: () => {
      const row = list.rows.find((candidate) => rowId(candidate) === activeId);
      if (row && !isUnsupported(row)) open(row.job_id);
    },
  });

  return (
    <div
      className={`jobs-layout${selectedId ? ' with-inspector' : ''}`}
      style={selectedId ? { gridTemplateColumns: `minmax(0, 1fr) 6px ${inspectorPane.width}px` } : undefined}
    >
      <section className="jobs-pane" aria-label="Jobs list">
        <div className="pane-head">
          <JobFiltersBar filters={state.jobs} onChange={setFilters} />
          {!readOnly && (
            <button type="button" className="button-primary new-job" onClick={() => setSubmitting(true)} data-testid="new-job">
              New job
            </button>
          )}
        </div>
        <JobCountsBar filters={state.jobs} onStates={setStates} />
        <BulkActions selected={[...chosen]} onClear={() => chooseAll(null)} onDone={(result) => {
          chooseAll(null);
          list.refreshRows(result.cancelled.map((job) => job.job_id));
        }} />
        {list.maybeNew > 0 && (
          <p className="notice" role="status">
            {list.maybeNew} job{list.maybeNew === 1 ? '' : 's'} changed that may match this search.{' '}
            <button type="button" className="link" onClick={list.reload}>
              Refresh
            </button>
          </p>
        )}
        {list.status === 'error' && list.error ? (
          <ErrorNote error={list.error} retry={list.reload} />
        ) : list.status === 'ready' && list.rows.length === 0 ? (
          <Empty>No jobs match these filters.</Empty>
        ) : (
          <JobTable
            list={list}
            selectedId={selectedId}
            activeId={activeId}
            sort={state.jobs.sort}
            onSort={(sort) => setFilters({ ...state.jobs, sort })}
            onOpen={open}
            chosen={chosen}
            onChoose={toggle}
            onChooseAll={chooseAll}
            terms={terms}
          />
        )}
        {list.status === 'loading' && (
          <div className="list-loading" role="status" data-testid="jobs-loading">
            Loading jobs…
          </div>
        )}
      </section>
      {selectedId && <Splitter label="Resize the inspector" pane={inspectorPane} testId="inspector-splitter" />}
      {selectedId && <JobInspector jobId={selectedId} onClose={close} terms={terms} />}
      {submitting && (
        <SubmitDialog
          onClose={() => setSubmitting(false)}
          onCreated={(job) => {
            setSubmitting(false);
            list.addLocal(job);
            open(job.job_id);
          }}
        />
      )}
    </div>
  );
}
