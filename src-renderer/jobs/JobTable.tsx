/**
 * The virtualised jobs grid (@tanstack/react-virtual): fixed row height so nothing jumps, the next
 * keyset page fetched as the user nears the end, and the viewport kept still when jobs are
 * inserted above it.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useKeysetVirtualRows } from '../components/useKeysetVirtualRows';
import type { JobSort } from '../../src-shared/ipc';
import type { JobList } from './useJobList';
import { JobRow, ROW_HEIGHT } from './JobRow';
import { isUnsupported } from '../api/records';
import { rowId } from './job-list-merge';

/** The sticky header sits inside the scroll container, above the rows. */
const HEADER_HEIGHT = 32;

interface JobTableProps {
  list: JobList;
  selectedId: string | null;
  /** The keyboard cursor, by id so rows inserted above do not move it. */
  activeId: string | null;
  sort: JobSort;
  onSort: (sort: JobSort) => void;
  onOpen: (jobId: string) => void;
}

function SortHeader({ label, field, sort, onSort }: { label: string; field: 'created_at' | 'updated_at'; sort: JobSort; onSort: (sort: JobSort) => void }) {
  const current = sort.startsWith(field) ? (sort.endsWith('_desc') ? 'descending' : 'ascending') : 'none';
  const next: JobSort = current === 'descending' ? `${field}_asc` : `${field}_desc`;
  const arrow = current === 'descending' ? ' ↓' : current === 'ascending' ? ' ↑' : '';
  return (
    <div role="columnheader" aria-sort={current}>
      <button type="button" className="sort-button" onClick={() => onSort(next)} data-testid={`sort-${field}`}>
        {label}
        {arrow}
      </button>
    </div>
  );
}

export function JobTable({ list, selectedId, activeId, sort, onSort, onOpen }: JobTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const { rows, hasMore } = list;
  const { virtualizer, items } = useKeysetVirtualRows(list, scrollRef, ROW_HEIGHT, HEADER_HEIGHT);

  const activeIndex = useMemo(() => (activeId === null ? -1 : rows.findIndex((row) => rowId(row) === activeId)), [rows, activeId]);
  const activeIndexRef = useRef(activeIndex);
  activeIndexRef.current = activeIndex;
  // Follow the cursor when it moves, not when rows arrive around it.
  useEffect(() => {
    if (activeIndexRef.current >= 0) virtualizer.scrollToIndex(activeIndexRef.current, { align: 'auto' });
  }, [activeId, virtualizer]);

  const activeRow = rows[activeIndex];
  return (
    <div
      role="grid"
      aria-label="Jobs"
      aria-rowcount={hasMore ? -1 : rows.length + 1}
      aria-activedescendant={activeRow ? `job-row-${activeIndex}` : undefined}
      className="grid jobs-grid grid-scroll"
      ref={scrollRef}
      data-testid="jobs-grid"
      data-row-count={rows.length}
      tabIndex={0}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && activeRow && !isUnsupported(activeRow)) onOpen(activeRow.job_id);
      }}
    >
      <div role="rowgroup" className="grid-head">
        <div role="row" aria-rowindex={1} className="grid-row job-row head-row">
          <div role="columnheader">State</div>
          <div role="columnheader">Kind</div>
          <div role="columnheader">Job id</div>
          <div role="columnheader">Protocol</div>
          <SortHeader label="Created" field="created_at" sort={sort} onSort={onSort} />
          <SortHeader label="Updated" field="updated_at" sort={sort} onSort={onSort} />
          <div role="columnheader" className="num">Duration</div>
          <div role="columnheader" className="num">Tokens</div>
        </div>
      </div>
        <div role="rowgroup" className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            const id = isUnsupported(row) ? null : row.job_id;
            return (
              <JobRow
                key={isUnsupported(row) ? `unsupported-${item.index}` : row.job_id}
                row={row}
                index={item.index}
                start={item.start - HEADER_HEIGHT}
                selected={id !== null && id === selectedId}
                active={item.index === activeIndex}
                onOpen={onOpen}
              />
            );
          })}
        </div>
        {list.loadingMore && (
          <div className="loading-more" role="status" data-testid="jobs-loading-more">
            Loading more jobs…
          </div>
        )}
    </div>
  );
}
