/**
 * The Timeline's lanes view beside the event table: runs and nodes as bars over wall-clock time,
 * one lane per concurrency slot or per job. The window lives in the URL (l_from, l_to) once it
 * settles, so a view of the lanes can be linked.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useViewState } from '../../state/useViewState';
import type { LaneGrouping } from '../../state/hash-state';
import { ViewLink, toJob, toTrace } from '../../components/ViewLink';
import { ErrorNote } from '../../components/States';
import { Time } from '../../components/Time';
import { formatDuration } from '../../lib/time';
import { shortId } from '../../lib/short-id';
import { LANE_HEIGHT } from './lanes-draw';
import { layoutLanes, zoomWindow, type PlacedSpan, type TimeWindow } from './lanes-layout';
import { LanesCanvas } from './LanesCanvas';
import { useLanesData } from './useLanesData';

const DEFAULT_SPAN_MS = 3_600_000;
const URL_SETTLE_MS = 400;

function initialWindow(from: string | null, to: string | null): TimeWindow | null {
  const start = from ? Date.parse(from) : NaN;
  const end = to ? Date.parse(to) : NaN;
  return Number.isFinite(start) && Number.isFinite(end) && end > start ? { from: start, to: end } : null;
}

/** Keeps the lanes window in the URL, replacing the entry (no history step per pan). */
function useWindowInUrl(view: TimeWindow | null): void {
  const { navigate } = useViewState();
  useEffect(() => {
    if (!view) return;
    const timer = window.setTimeout(() => {
      navigate(
        (state) => ({ ...state, lanes: { ...state.lanes, from: new Date(Math.round(view.from)).toISOString(), to: new Date(Math.round(view.to)).toISOString() } }),
        { replace: true },
      );
    }, URL_SETTLE_MS);
    return () => window.clearTimeout(timer);
  }, [view, navigate]);
}

function SelectedRun({ item, onRunEvents }: { item: PlacedSpan; onRunEvents: () => void }) {
  const { span } = item;
  return (
    <div className="lanes-selected" data-testid="lanes-selected" data-run-id={span.workflow_run_id}>
      <strong>{span.job_kind}</strong> <code>{shortId(span.job_id)}</code> · attempt {span.attempt} ·{' '}
      <span className={`run-status status-${span.status}`}>{span.status}</span> · started <Time value={span.start} /> ·{' '}
      {span.open ? 'running for' : 'ran'} {formatDuration(item.end - item.start)} · {span.nodes.length} node{span.nodes.length === 1 ? '' : 's'}
      <span className="lanes-selected-links">
        <ViewLink to={toJob(span.job_id)} testId="lanes-open-job">Open job</ViewLink>
        <ViewLink to={toTrace(span.trace_id)} testId="lanes-open-trace">Open trace</ViewLink>
        <button type="button" className="link" onClick={onRunEvents} data-testid="lanes-run-events">
          Events of this run
        </button>
      </span>
    </div>
  );
}

export function LanesPanel({ grouping }: { grouping: LaneGrouping }) {
  const { state, navigate } = useViewState();
  const [view, setView] = useState<TimeWindow | null>(
    () => initialWindow(state.lanes.from, state.lanes.to) ?? initialWindow(state.events.from, state.events.to),
  );
  const fallback = useRef<TimeWindow>({ from: Date.now() - DEFAULT_SPAN_MS, to: Date.now() });
  const shown = view ?? fallback.current;
  const { data, loading, error } = useLanesData(shown);
  const [selected, setSelected] = useState<PlacedSpan | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  useWindowInUrl(view);

  // First answer with no window chosen: if the history ended before the last hour, go to where it ends.
  useEffect(() => {
    if (view || !data) return;
    const last = data.extent ? Date.parse(data.extent.last) : NaN;
    const current = fallback.current;
    setView(Number.isFinite(last) && last < current.from ? { from: last - DEFAULT_SPAN_MS, to: last + 60_000 } : current);
  }, [data, view]);

  const layout = useMemo(() => layoutLanes(data?.mode === 'spans' ? data.spans : [], grouping), [data, grouping]);
  const visibleRuns = layout.placed.filter((item) => item.end >= shown.from && item.start <= shown.to).length;
  const fitHistory = () => {
    if (!data?.extent) return;
    const first = Date.parse(data.extent.first);
    const last = Date.parse(data.extent.last);
    const margin = Math.max(1_000, (last - first) * 0.02);
    setView({ from: first - margin, to: last + margin });
  };
  const setGrouping = (next: LaneGrouping) => navigate((current) => ({ ...current, lanes: { ...current.lanes, grouping: next } }), { replace: true });
  const summary =
    data?.mode === 'density'
      ? `${data.run_count.toLocaleString()} runs around this window: too many to draw one by one, so runs started per interval are shown. Zoom in to see each run.`
      : `${visibleRuns} run${visibleRuns === 1 ? '' : 's'} in view, ${layout.lanes.length} lane${layout.lanes.length === 1 ? '' : 's'}.`;

  return (
    <section className="lanes-panel" aria-label="Run lanes" data-testid="lanes-panel" data-mode={data?.mode ?? 'loading'} data-loading={loading} data-run-count={visibleRuns}>
      <div className="lanes-toolbar">
        <div className="segmented" role="group" aria-label="Lanes per">
          <button type="button" aria-pressed={grouping === 'slot'} onClick={() => setGrouping('slot')} data-testid="lanes-by-slot">Slots</button>
          <button type="button" aria-pressed={grouping === 'job'} onClick={() => setGrouping('job')} data-testid="lanes-by-job">Jobs</button>
        </div>
        <button type="button" className="button-small" onClick={() => setView(zoomWindow(shown, 1 / 1.5))} aria-label="Zoom in" data-testid="lanes-zoom-in">+</button>
        <button type="button" className="button-small" onClick={() => setView(zoomWindow(shown, 1.5))} aria-label="Zoom out" data-testid="lanes-zoom-out">−</button>
        <button type="button" className="button-small" onClick={fitHistory} disabled={!data?.extent} data-testid="lanes-fit">Whole history</button>
        <button
          type="button"
          className="button-small"
          onClick={() => navigate((current) => ({ ...current, events: { ...current.events, from: new Date(shown.from).toISOString(), to: new Date(shown.to).toISOString() }, eventId: null }))}
          data-testid="lanes-to-table"
        >
          Show this window in the table
        </button>
        <span className="muted lanes-summary" role="status" data-testid="lanes-summary">
          {loading && !data ? 'Loading runs…' : summary}
        </span>
      </div>
      {error && <ErrorNote error={error} />}
      {data?.purged_before && shown.from < Date.parse(data.purged_before) && (
        <p className="lanes-note" data-testid="lanes-retention">
          Hatched: events before <Time value={data.purged_before} /> were removed by retention, so runs there cannot be drawn.
        </p>
      )}
      <div className="lanes-body">
        <div className="lanes-labels" onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)} tabIndex={-1} aria-hidden="true">
          <div style={{ height: Math.max(layout.lanes.length * LANE_HEIGHT, 1) }}>
            {data?.mode === 'spans' &&
              layout.lanes.map((label, index) => (
                <div key={index} className="lanes-label ellipsis" style={{ top: index * LANE_HEIGHT, height: LANE_HEIGHT }}>
                  {label}
                </div>
              ))}
          </div>
        </div>
        <LanesCanvas
          data={data}
          layout={layout}
          view={shown}
          scrollTop={scrollTop}
          selected={selected}
          onView={setView}
          onSelect={setSelected}
          label={`Run lanes from ${new Date(shown.from).toLocaleString()} to ${new Date(shown.to).toLocaleString()}. ${summary} Drag or use the arrow keys to pan, the wheel or + and − to zoom, [ and ] to step through runs.`}
        />
      </div>
      {selected && (
        <SelectedRun
          item={selected}
          onRunEvents={() => navigate((current) => ({ ...current, events: { ...current.events, workflowRunId: selected.span.workflow_run_id, jobId: null }, eventId: null }))}
        />
      )}
    </section>
  );
}
