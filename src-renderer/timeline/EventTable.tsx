/** The virtualised event list of the Timeline view. */
import { useEffect, useRef } from 'react';
import { useKeysetVirtualRows } from '../components/useKeysetVirtualRows';
import type { FlightEvent } from '../../src-shared/events';
import { isUnsupported } from '../api/records';
import { EventLine } from '../evidence/EventLine';
import { UnsupportedRecordNote } from '../components/UnsupportedRecord';
import type { EventList } from './useEventList';
import { JobCell } from './JobCell';
import { useJobLabels } from './useJobLabels';

const ROW_HEIGHT = 34;

export function EventTable({
  list,
  selectedId,
  activeIndex,
  onOpen,
}: {
  list: EventList;
  selectedId: string | null;
  activeIndex: number;
  onOpen: (event: FlightEvent) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const { rows } = list;
  const { virtualizer, items } = useKeysetVirtualRows(list, scrollRef, ROW_HEIGHT);
  const labels = useJobLabels(items.map((item) => {
    const row = rows[item.index];
    return row && !isUnsupported(row) ? row.job_id : null;
  }));

  useEffect(() => {
    if (activeIndex >= 0 && activeIndex < rows.length) virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
  }, [activeIndex, rows.length, virtualizer]);

  return (
    <div className="grid-scroll events-scroll" ref={scrollRef} data-testid="events-scroll" tabIndex={0} role="region" aria-label="Flight Recorder events">
      <div role="list" className="grid-body" style={{ height: virtualizer.getTotalSize() }} data-testid="events-list" data-row-count={rows.length}>
        {items.map((item) => {
          const row = rows[item.index]!;
          const unsupported = isUnsupported(row);
          const selected = !unsupported && row.event_id === selectedId;
          return (
            <div
              key={unsupported ? `unsupported-${item.index}` : row.event_id}
              role="listitem"
              className={`event-row with-job${selected ? ' selected' : ''}${item.index === activeIndex ? ' active' : ''}`}
              style={{ transform: `translateY(${item.start}px)` }}
            >
              {unsupported ? (
                <UnsupportedRecordNote record={row} />
              ) : (
                <>
                  <EventLine event={row} onOpen={onOpen} selected={selected} />
                  <JobCell jobId={row.job_id} label={row.job_id ? labels.get(row.job_id) : undefined} />
                </>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
