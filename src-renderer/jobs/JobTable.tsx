/**
 * The virtualised jobs grid (@tanstack/react-virtual): fixed row height so nothing jumps, the next
 * keyset page fetched as the user nears the end, and the viewport kept still when jobs are
 * inserted above it.
 */
import { memo, useEffect, useMemo, useRef } from 'react';
import { JOB_STATES } from '../../src-shared/enums';
import { operatorMay } from '../../src-shared/transitions';
import { useNow } from '../lib/useNow';
import { useKeysetVirtualRows } from '../components/useKeysetVirtualRows';
import { useRecycledKeys } from '../components/recycled-keys';
import type { JobSort } from '../../src-shared/ipc';
import type { JobList } from './useJobList';
import { JobRow, ROW_HEIGHT } from './JobRow';
import { isUnsupported, type Row } from '../api/records';
import type { AiJob } from '../../src-shared/job';
import { rowId } from './job-list-merge';

/** The sticky header sits inside the scroll container, above the rows. */
const HEADER_HEIGHT = 32;

/** The states a job can be cancelled from, looked up per row instead of asking the transition table each time. */
const CANCELLABLE_STATES: ReadonlySet<string> = new Set(JOB_STATES.filter((state) => operatorMay('cancel', state)));

interface JobTableProps {
  list: JobList;
  selectedId: string | null;
  /** The keyboard cursor, by id so rows inserted above do not move it. */
  activeId: string | null;
  sort: JobSort;
  onSort: (sort: JobSort) => void;
  onOpen: (jobId: string) => void;
  /** Jobs chosen for a bulk action. */
  chosen: ReadonlySet<string>;
  onChoose: (jobId: string) => void;
  /** Chooses these jobs, or clears the choice (null). */
  onChooseAll: (jobIds: string[] | null) => void;
  terms: readonly string[];
}

/** What the table needs to know about all the loaded jobs, in one pass (it is redone for each page). */
function summarise(rows: readonly Row<AiJob>[]): { cancellable: string[]; anyRunning: boolean } {
  const cancellable: string[] = [];
  let anyRunning = false;
  for (const row of rows) {
    if (isUnsupported(row)) continue;
    if (row.state === 'running') anyRunning = true;
    if (CANCELLABLE_STATES.has(row.state)) cancellable.push(row.job_id);
  }
  return { cancellable, anyRunning };
}

// Memoised: it looks at every loaded job, and the table renders on every scrolled frame.
const ChooseAll = memo(function ChooseAll({ ids, chosen, onChooseAll }: { ids: string[]; chosen: ReadonlySet<string>; onChooseAll: (jobIds: string[] | null) => void }) {
  const all = ids.length > 0 && chosen.size > 0 && ids.every((id) => chosen.has(id));
  const some = !all && chosen.size > 0 && ids.some((id) => chosen.has(id));
  return (
    <div role="columnheader" className="choose-cell">
      <input
        type="checkbox"
        checked={all}
        ref={(input) => {
          if (input) input.indeterminate = some;
        }}
        disabled={ids.length === 0}
        onChange={() => onChooseAll(all ? null : ids)}
        aria-label={`Choose all ${ids.length} loaded jobs that can be cancelled`}
        data-testid="choose-all"
      />
    </div>
  );
});

function SortHeader({ label, field, sort, onSort, className }: { label: string; field: 'created_at' | 'updated_at'; sort: JobSort; onSort: (sort: JobSort) => void; className?: string }) {
  const current = sort.startsWith(field) ? (sort.endsWith('_desc') ? 'descending' : 'ascending') : 'none';
  const next: JobSort = current === 'descending' ? `${field}_asc` : `${field}_desc`;
  const arrow = current === 'descending' ? ' ↓' : current === 'ascending' ? ' ↑' : '';
  return (
    <div role="columnheader" aria-sort={current} className={className}>
      <button type="button" className="sort-button" onClick={() => onSort(next)} data-testid={`sort-${field}`}>
        {label}
        {arrow}
      </button>
    </div>
  );
}

export function JobTable({ list, selectedId, activeId, sort, onSort, onOpen, chosen, onChoose, onChooseAll, terms }: JobTableProps) {
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
  const { cancellable, anyRunning } = useMemo(() => summarise(rows), [rows]);
  const now = useNow(1_000, anyRunning);
  const keys = useRecycledKeys(items.map((item) => rowId(rows[item.index]!)));
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
          <ChooseAll ids={cancellable} chosen={chosen} onChooseAll={onChooseAll} />
          <div role="columnheader">State</div>
          <div role="columnheader">Kind</div>
          <div role="columnheader">Job id</div>
          <div role="columnheader" className="col-protocol">Protocol</div>
          <SortHeader label="Created" field="created_at" sort={sort} onSort={onSort} className="col-created" />
          <SortHeader label="Updated" field="updated_at" sort={sort} onSort={onSort} className="col-updated" />
          <div role="columnheader" className="num">Duration</div>
          <div role="columnheader" className="num col-tokens">Tokens</div>
        </div>
      </div>
        <div role="rowgroup" className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item, position) => {
            const row = rows[item.index]!;
            const id = isUnsupported(row) ? null : row.job_id;
            return (
              <JobRow
                key={keys[position]}
                row={row}
                index={item.index}
                start={item.start - HEADER_HEIGHT}
                selected={id !== null && id === selectedId}
                active={item.index === activeIndex}
                onOpen={onOpen}
                chosen={isUnsupported(row) || !CANCELLABLE_STATES.has(row.state) ? null : chosen.has(row.job_id)}
                onChoose={onChoose}
                terms={terms}
                now={!isUnsupported(row) && row.state === 'running' ? now : 0}
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
