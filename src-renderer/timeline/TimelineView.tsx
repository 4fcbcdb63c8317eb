/** The Timeline console: Flight Recorder events in a window, live tail, evidence drawer, pins. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { FlightEvent } from '../../src-shared/events';
import { isUnsupported } from '../api/records';
import { useViewState } from '../state/useViewState';
import type { EventFilters } from '../state/hash-state';
import { Empty, ErrorNote, Loading } from '../components/States';
import { EventEvidence } from '../evidence/EventEvidence';
import { EvidenceDrawer } from '../evidence/EvidenceDrawer';
import { useGlobalKeys } from '../lib/keyboard';
import { formatLocal } from '../lib/time';
import { useSystemStatus } from '../status/useSystemStatus';
import { EventTable } from './EventTable';
import { TimelineFiltersBar } from './TimelineFiltersBar';
import { PinnedSlices } from './PinnedSlices';
import { ExportOtlpButton } from '../otel/ExportOtlpButton';
import { sliceScope } from '../otel/otlp-scope';
import { ExportTimeRange } from './ExportTimeRange';
import { useEventList } from './useEventList';
import { windowReachesPurge } from './event-filters';
import { LanesPanel } from './lanes/LanesPanel';

function RetentionNotice({ purgedBefore, retentionDays }: { purgedBefore: string; retentionDays: number | null }) {
  return (
    <p className="notice notice-warning" role="note" data-testid="retention-notice">
      Events before <time dateTime={purgedBefore} title={`${purgedBefore} (UTC)`}>{formatLocal(purgedBefore)}</time> were removed by
      retention{retentionDays === null ? '' : ` (${retentionDays} days)`}; this window shows nothing older.
    </p>
  );
}

export function TimelineView() {
  const { state, navigate } = useViewState();
  const { status } = useSystemStatus();
  const filters = state.events;
  const [paused, setPaused] = useState(false);
  const [activeIndex, setActiveIndex] = useState(-1);
  const list = useEventList(filters, paused);
  const setFilters = (events: EventFilters) => navigate((current) => ({ ...current, events, eventId: null }));
  const openEvent = useCallback((event: FlightEvent) => navigate((current) => ({ ...current, eventId: event.event_id })), [navigate]);
  const closeEvidence = useCallback(() => navigate((current) => ({ ...current, eventId: null })), [navigate]);
  const selected = useMemo(
    () => list.rows.find((row): row is FlightEvent => !isUnsupported(row) && row.event_id === state.eventId) ?? null,
    [list.rows, state.eventId],
  );

  useEffect(() => {
    if (!state.eventId) return;
    const index = list.rows.findIndex((row) => !isUnsupported(row) && row.event_id === state.eventId);
    if (index >= 0) setActiveIndex(index);
  }, [state.eventId, list.rows]);

  useGlobalKeys({
    move: (delta) => setActiveIndex((index) => Math.max(0, Math.min(list.rows.length - 1, index + delta))),
    open: () => {
      const row = list.rows[activeIndex];
      if (row && !isUnsupported(row)) openEvent(row);
    },
  });

  return (
    <div className={`timeline-layout${state.eventId ? ' with-drawer' : ''}`}>
      <section className="timeline-pane" aria-label="Timeline">
        <TimelineFiltersBar filters={filters} onChange={setFilters} />
        <div className="toolbar">
          <div className="segmented" role="group" aria-label="Order">
            <button type="button" aria-pressed={filters.order === 'desc'} onClick={() => setFilters({ ...filters, order: 'desc' })} data-testid="order-desc">
              Newest first
            </button>
            <button type="button" aria-pressed={filters.order === 'asc'} onClick={() => setFilters({ ...filters, order: 'asc' })} data-testid="order-asc">
              Oldest first
            </button>
          </div>
          {/* An action whose label says what it does next, so no aria-pressed (which would call "Pause" pressed while live). */}
          <button type="button" onClick={() => setPaused((value) => !value)} data-testid="live-tail">
            {paused ? `Resume live tail${list.held > 0 ? ` (${list.held} new)` : ''}` : 'Pause live tail'}
          </button>
          <span className={`live-dot${paused ? ' paused' : ''}`} data-testid="live-state">
            {paused ? 'paused' : 'live'}
          </span>
          <button
            type="button"
            aria-pressed={state.lanes.grouping !== null}
            onClick={() => navigate((current) => ({ ...current, lanes: { ...current.lanes, grouping: current.lanes.grouping ? null : 'slot' } }))}
            data-testid="lanes-toggle"
          >
            Lanes
          </button>
          <PinnedSlices filters={filters} onOpen={setFilters} />
          <ExportOtlpButton scope={() => sliceScope(filters, new Date())} label="Export slice as OTLP" testId="export-otlp-slice" />
          <ExportTimeRange filters={filters} />
        </div>
        {state.lanes.grouping && <LanesPanel grouping={state.lanes.grouping} />}
        {windowReachesPurge(filters, list.purgedBefore) && (
          <RetentionNotice purgedBefore={list.purgedBefore!} retentionDays={status?.retention_days ?? null} />
        )}
        {list.status === 'error' && list.error ? (
          <ErrorNote error={list.error} retry={list.reload} />
        ) : list.status === 'loading' && list.rows.length === 0 ? (
          <Loading what="events" />
        ) : list.rows.length === 0 ? (
          <Empty>No events in this window.</Empty>
        ) : (
          <EventTable list={list} selectedId={state.eventId} activeIndex={activeIndex} onOpen={openEvent} />
        )}
      </section>
      {/* An event outside the loaded window (a link, a problem's citation) is loaded by its id. */}
      {state.eventId &&
        (selected ? (
          <EvidenceDrawer event={selected} onClose={closeEvidence} />
        ) : (
          <EventEvidence eventId={state.eventId} onClose={closeEvidence} />
        ))}
    </div>
  );
}
