/** The virtualised problems grid: one row per fingerprint, newest first; right-click for the row menu. */
import { memo, useRef } from 'react';
import type { Problem } from '../../src-shared/diagnostics';
import { useKeysetVirtualRows } from '../components/useKeysetVirtualRows';
import { Time } from '../components/Time';
import { isMenuKey } from '../components/ContextMenu';
import { formatNumber } from '../lib/time';
import type { ProblemList } from './useProblemList';
import { LinkBadge, SeverityBadge } from './ProblemBadges';

const ROW_HEIGHT = 34;
const HEADER_HEIGHT = 32;

export interface RowMenuRequest {
  problem: Problem;
  x: number;
  y: number;
}

interface RowProps {
  problem: Problem;
  index: number;
  start: number;
  selected: boolean;
  onOpen: (fingerprint: string) => void;
  onMenu: (request: RowMenuRequest) => void;
}

const ProblemRow = memo(function ProblemRow({ problem, index, start, selected, onOpen, onMenu }: RowProps) {
  return (
    <div
      role="row"
      id={`problem-row-${index}`}
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`grid-row problem-row${selected ? ' selected' : ''}`}
      style={{ transform: `translateY(${start}px)` }}
      data-testid="problem-row"
      data-fingerprint={problem.fingerprint}
      data-severity={problem.severity}
      onClick={() => onOpen(problem.fingerprint)}
      onContextMenu={(event) => {
        event.preventDefault();
        onMenu({ problem, x: event.clientX, y: event.clientY });
      }}
    >
      <div role="gridcell"><SeverityBadge severity={problem.severity} /></div>
      <div role="gridcell" title={problem.title} data-testid="problem-title">{problem.title}</div>
      <div role="gridcell" className="mono">{problem.source}</div>
      <div role="gridcell" className="mono">{problem.surface}</div>
      <div role="gridcell" className="num" data-testid="problem-count">{formatNumber(problem.count)}</div>
      <div role="gridcell"><Time value={problem.first_seen} /></div>
      <div role="gridcell"><Time value={problem.last_seen} /></div>
      <div role="gridcell" data-testid="problem-status">{problem.status}</div>
      <div role="gridcell"><LinkBadge confidence={problem.link_confidence} /></div>
    </div>
  );
});

export function ProblemTable({ list, selected, onOpen, onMenu }: { list: ProblemList; selected: string | null; onOpen: (fingerprint: string) => void; onMenu: (request: RowMenuRequest) => void }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const { virtualizer, items } = useKeysetVirtualRows(list, scrollRef, ROW_HEIGHT, HEADER_HEIGHT);
  const selectedIndex = list.rows.findIndex((row) => row.fingerprint === selected);
  return (
    <div
      role="grid"
      aria-label="Problems"
      aria-rowcount={list.hasMore ? -1 : list.rows.length + 1}
      aria-activedescendant={selectedIndex >= 0 ? `problem-row-${selectedIndex}` : undefined}
      className="grid problems-grid grid-scroll"
      ref={scrollRef}
      tabIndex={0}
      data-testid="problems-grid"
      data-row-count={list.rows.length}
      onKeyDown={(event) => {
        const row = list.rows[selectedIndex];
        if (row && isMenuKey(event)) {
          event.preventDefault();
          const box = document.getElementById(`problem-row-${selectedIndex}`)?.getBoundingClientRect();
          onMenu({ problem: row, x: box?.left ?? 0, y: box?.bottom ?? 0 });
        }
      }}
    >
      <div role="rowgroup" className="grid-head">
        <div role="row" aria-rowindex={1} className="grid-row problem-row head-row">
          <div role="columnheader">Severity</div>
          <div role="columnheader">Problem</div>
          <div role="columnheader">Source</div>
          <div role="columnheader">Surface</div>
          <div role="columnheader" className="num">Count</div>
          <div role="columnheader">First seen</div>
          <div role="columnheader">Last seen</div>
          <div role="columnheader">Status</div>
          <div role="columnheader">Link</div>
        </div>
      </div>
      <div role="rowgroup" className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const problem = list.rows[item.index]!;
          return (
            <ProblemRow
              key={problem.fingerprint}
              problem={problem}
              index={item.index}
              start={item.start - HEADER_HEIGHT}
              selected={problem.fingerprint === selected}
              onOpen={onOpen}
              onMenu={onMenu}
            />
          );
        })}
      </div>
    </div>
  );
}
