/** One row of the trace tree: its name (indented, with a toggle), its bar on the trace's time axis, its duration. */
import type { TreeNode, TreeRow } from './trace-tree';
import { formatDuration } from '../lib/time';
import { shortId } from '../lib/short-id';
import { summariseEvent } from '../lib/event-summary';

export const TRACE_ROW_HEIGHT = 30;

function percent(time: number, axis: { start: number; end: number }): number {
  return ((time - axis.start) / (axis.end - axis.start)) * 100;
}

function nameOf(node: TreeNode): string {
  if (node.job) return `${node.job.job_kind} ${shortId(node.job.job_id)}`;
  if (node.run) return `attempt ${node.run.attempt}`;
  if (node.node) return node.node.node_id;
  return node.event ? summariseEvent(node.event) : node.id;
}

function Bars({ node, axis, now }: { node: TreeNode; axis: { start: number; end: number }; now: number }) {
  if (node.kind === 'event') {
    return <span className="trace-tick" style={{ left: `${percent(node.start, axis)}%` }} />;
  }
  const end = node.end ?? now;
  const queue = node.queuedFrom !== null && node.queuedFrom < node.start;
  return (
    <>
      {queue && (
        <span className="waterfall-bar bar-queue" style={{ left: `${percent(node.queuedFrom!, axis)}%`, width: `${Math.max(0.2, percent(node.start, axis) - percent(node.queuedFrom!, axis))}%` }} />
      )}
      <span
        className={`waterfall-bar ${node.kind === 'node' ? 'bar-node' : 'bar-run'} status-${node.status}`}
        style={{ left: `${percent(node.start, axis)}%`, width: `${Math.max(0.3, percent(end, axis) - percent(node.start, axis))}%` }}
      />
    </>
  );
}

function durationOf(node: TreeNode, now: number): string {
  if (node.kind === 'event') return '';
  const queued = node.queuedFrom !== null && node.queuedFrom < node.start ? `queued ${formatDuration(node.start - node.queuedFrom)} · ` : '';
  return `${queued}ran ${formatDuration((node.end ?? now) - node.start)}`;
}

export function TraceRowView({ row, index, start, axis, now, active, onToggle, onOpen, onFocusRow }: {
  row: TreeRow;
  index: number;
  start: number;
  axis: { start: number; end: number };
  now: number;
  active: boolean;
  onToggle: (row: TreeRow) => void;
  onOpen: (row: TreeRow) => void;
  onFocusRow: (index: number) => void;
}) {
  const { node } = row;
  return (
    <div
      role="row"
      id={`trace-row-${index}`}
      aria-rowindex={index + 2}
      aria-level={row.depth + 1}
      aria-expanded={row.hasChildren ? row.expanded : undefined}
      aria-selected={active}
      className={`trace-row trace-${node.kind}${active ? ' active' : ''}`}
      style={{ transform: `translateY(${start}px)` }}
      data-testid="trace-row"
      data-kind={node.kind}
      data-id={node.id}
      onClick={() => {
        onFocusRow(index);
        onOpen(row);
      }}
    >
      <div role="gridcell" className="trace-name" style={{ paddingLeft: `${row.depth * 16 + 4}px` }}>
        {row.hasChildren ? (
          <button
            type="button"
            className="trace-toggle"
            tabIndex={-1}
            aria-label={row.expanded ? 'Collapse' : 'Expand'}
            onClick={(event) => {
              event.stopPropagation();
              onToggle(row);
            }}
          >
            {row.expanded ? '▾' : '▸'}
          </button>
        ) : (
          <span className="trace-toggle-space" />
        )}
        <span className={`trace-kind trace-kind-${node.kind}`}>{node.kind}</span>
        <span className="ellipsis">{nameOf(node)}</span>
        {node.kind !== 'event' && <span className="trace-status muted">{node.status}</span>}
      </div>
      <div role="gridcell" className="trace-bars">
        <Bars node={node} axis={axis} now={now} />
      </div>
      <div role="gridcell" className="trace-duration muted">{durationOf(node, now)}</div>
    </div>
  );
}
