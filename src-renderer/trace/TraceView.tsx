/**
 * The Trace view: every job, run, node and event of one trace_id as a tree with a waterfall on one
 * time axis (queue time apart from run time). Virtualised, so a trace of 10,000 events opens and
 * scrolls like a small one; the arrow keys walk the tree, Left/Right collapse and expand.
 */
import { useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useViewState } from '../state/useViewState';
import { DEFAULT_EVENT_FILTERS } from '../state/hash-state';
import { IdWithCopy } from '../components/CopyButton';
import { Empty, ErrorNote, Loading } from '../components/States';
import { Time } from '../components/Time';
import { EvidenceDrawer } from '../evidence/EvidenceDrawer';
import { formatDuration } from '../lib/time';
import { buildTraceTree, visibleRows, type TreeRow } from './trace-tree';
import { TRACE_ROW_HEIGHT, TraceRowView } from './TraceRow';
import { TraceDetails } from './TraceDetails';
import { useTrace } from './useTrace';
import type { Trace } from '../../src-shared/inspector-views';

const HEADER_HEIGHT = 30;

function TraceTreeGrid({ trace, loadingMore, capped }: { trace: Trace; loadingMore: boolean; capped: boolean }) {
  const { navigate } = useViewState();
  const [now] = useState(() => Date.now());
  const tree = useMemo(() => buildTraceTree(trace, now), [trace, now]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [hideEvents, setHideEvents] = useState(false);
  const [active, setActive] = useState(0);
  const [opened, setOpened] = useState<TreeRow | null>(null);
  const rows = useMemo(() => visibleRows(tree.roots, collapsed, hideEvents), [tree, collapsed, hideEvents]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => TRACE_ROW_HEIGHT,
    overscan: 16,
    scrollPaddingStart: HEADER_HEIGHT,
  });

  const toggle = (row: TreeRow) =>
    setCollapsed((current) => {
      const next = new Set(current);
      if (next.has(row.node.id)) next.delete(row.node.id);
      else next.add(row.node.id);
      return next;
    });
  const focusRow = (index: number) => {
    const clamped = Math.max(0, Math.min(rows.length - 1, index));
    setActive(clamped);
    virtualizer.scrollToIndex(clamped, { align: 'auto' });
  };
  const onKeyDown = (event: React.KeyboardEvent) => {
    const row = rows[active];
    if (!row) return;
    const keys: Record<string, () => void> = {
      ArrowDown: () => focusRow(active + 1),
      ArrowUp: () => focusRow(active - 1),
      Home: () => focusRow(0),
      End: () => focusRow(rows.length - 1),
      ArrowRight: () => (row.hasChildren && !row.expanded ? toggle(row) : focusRow(active + 1)),
      ArrowLeft: () => (row.expanded ? toggle(row) : focusRow(rows.findIndex((candidate) => candidate.node.id === row.parentId))),
      Enter: () => setOpened(row),
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    action();
  };
  const span = tree.axis.end - tree.axis.start;
  const items = virtualizer.getVirtualItems();
  const activeRendered = items.some((item) => item.index === active);

  return (
    <div className={`trace-layout${opened ? ' with-drawer' : ''}`}>
      <section className="trace-pane" aria-label="Trace">
        <div className="toolbar trace-toolbar">
          <span data-testid="trace-counts">
            {tree.counts.jobs} job{tree.counts.jobs === 1 ? '' : 's'} · {tree.counts.runs} run{tree.counts.runs === 1 ? '' : 's'} · {tree.counts.nodes} node
            {tree.counts.nodes === 1 ? '' : 's'} · {tree.counts.events.toLocaleString()} event{tree.counts.events === 1 ? '' : 's'} · over {formatDuration(span)} from{' '}
            <Time value={new Date(tree.axis.start).toISOString()} />
          </span>
          <button type="button" aria-pressed={hideEvents} onClick={() => setHideEvents((value) => !value)} data-testid="trace-hide-events">
            Hide events
          </button>
          <button type="button" className="button-small" onClick={() => setCollapsed(new Set())} data-testid="trace-expand-all">
            Expand all
          </button>
          <button
            type="button"
            className="button-small"
            onClick={() => navigate((state) => ({ ...state, view: 'timeline', events: { ...DEFAULT_EVENT_FILTERS, traceId: trace.trace_id, order: 'asc' }, eventId: null }))}
            data-testid="trace-to-timeline"
          >
            Events in the Timeline
          </button>
          <span className="waterfall-legend" aria-hidden="true">
            <span className="legend-swatch bar-queue" /> queue time <span className="legend-swatch bar-run" /> run time <span className="legend-swatch bar-node" /> node
          </span>
        </div>
        {loadingMore && (
          <p className="notice" role="status" data-testid="trace-loading-more">
            Loading more events… {trace.events.length.toLocaleString()} so far.
          </p>
        )}
        {(capped || trace.jobs_truncated) && (
          <p className="notice notice-warning" role="note" data-testid="trace-truncated">
            This trace is larger than one view holds: showing its first {trace.jobs.length.toLocaleString()} jobs and {trace.events.length.toLocaleString()} events.
          </p>
        )}
        {trace.purged_before && (
          <p className="notice" role="note">
            Events before <Time value={trace.purged_before} /> were removed by retention; they cannot appear here.
          </p>
        )}
        {rows.length === 0 ? (
          <Empty>Nothing was recorded under this trace id.</Empty>
        ) : (
          <div
            ref={scrollRef}
            role="treegrid"
            aria-label="Jobs, runs, nodes and events of the trace"
            aria-rowcount={rows.length + 1}
            aria-activedescendant={activeRendered ? `trace-row-${active}` : undefined}
            className="grid-scroll trace-grid"
            tabIndex={0}
            onKeyDown={onKeyDown}
            data-testid="trace-tree"
            data-row-count={rows.length}
          >
            <div role="rowgroup" className="trace-head">
              <div role="row" aria-rowindex={1} className="trace-row head-row">
                <div role="columnheader">Job, run, node or event</div>
                <div role="columnheader">Waterfall</div>
                <div role="columnheader">Time</div>
              </div>
            </div>
            <div role="rowgroup" className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
              {items.map((item) => (
                <TraceRowView
                  key={rows[item.index]!.node.id}
                  row={rows[item.index]!}
                  index={item.index}
                  start={item.start}
                  axis={tree.axis}
                  now={now}
                  active={item.index === active}
                  onToggle={toggle}
                  onOpen={setOpened}
                  onFocusRow={setActive}
                />
              ))}
            </div>
          </div>
        )}
      </section>
      {opened?.node.event ? (
        <EvidenceDrawer event={opened.node.event} onClose={() => setOpened(null)} />
      ) : opened ? (
        <TraceDetails node={opened.node} onClose={() => setOpened(null)} />
      ) : null}
    </div>
  );
}

export function TraceView() {
  const { state } = useViewState();
  const traceId = state.traceView;
  return (
    <div className="trace-view" data-testid="trace-view" data-trace-id={traceId ?? ''}>
      <header className="view-head">
        <h2>Trace</h2>
        {traceId && <IdWithCopy value={traceId} label="trace id" />}
      </header>
      {traceId ? <TraceBody traceId={traceId} /> : <Empty>Open a trace from a job or an event.</Empty>}
    </div>
  );
}

function TraceBody({ traceId }: { traceId: string }) {
  const { trace, error, reload, loadingMore, capped } = useTrace(traceId);
  if (error) return <ErrorNote error={error} retry={reload} />;
  if (!trace) return <Loading what="trace" />;
  return <TraceTreeGrid trace={trace} loadingMore={loadingMore} capped={capped} />;
}
