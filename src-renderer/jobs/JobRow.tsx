import { memo, useLayoutEffect, useRef } from 'react';
import type { AiJob } from '../../src-shared/job';
import { isUnsupported, type Row } from '../api/records';
import { Highlight } from '../components/Highlight';
import { StateBadge } from '../components/StateBadge';
import { Time } from '../components/Time';
import { UnsupportedRecordNote } from '../components/UnsupportedRecord';
import { formatDuration, formatNumber } from '../lib/time';
import { shortId } from '../lib/short-id';
import { liveDurationMs } from './live-duration';

export const ROW_HEIGHT = 34;

interface JobRowProps {
  row: Row<AiJob>;
  index: number;
  start: number;
  /** The job open in the inspector. */
  selected: boolean;
  /** The keyboard cursor. */
  active: boolean;
  onOpen: (jobId: string) => void;
  /** Chosen for a bulk action; null when the job cannot take one (nothing to cancel). */
  chosen?: boolean | null;
  onChoose?: (jobId: string) => void;
  /** Words of the current search, marked where they occur. */
  terms?: readonly string[];
  /** "Now" for a running job's live duration (0 for the others, so they never re-render for it). */
  now?: number;
}

/** One row of the jobs grid, absolutely placed by the virtualiser (and reused for other jobs as the list scrolls). */
export const JobRow = memo(function JobRow({ row, index, start, selected, active, onOpen, chosen = null, onChoose, terms, now = 0 }: JobRowProps) {
  const choose = useRef<HTMLInputElement>(null);
  const jobId = isUnsupported(row) ? null : row.job_id;
  // When the row is reused for another job, focus on its checkbox must not pass to that job. (In
  // the effect, not its cleanup: React puts focus back after the commit's DOM changes.)
  useLayoutEffect(() => {
    if (choose.current && choose.current === document.activeElement) choose.current.blur();
  }, [jobId]);
  const className = `grid-row job-row${selected ? ' selected' : ''}${active ? ' active' : ''}`;
  const placement = { transform: `translateY(${start}px)` };
  if (isUnsupported(row)) {
    return (
      <div role="row" aria-rowindex={index + 2} className={`${className} unsupported-row`} style={placement} id={`job-row-${index}`}>
        <div role="gridcell" className="span-all">
          <UnsupportedRecordNote record={row} />
        </div>
      </div>
    );
  }
  const short = shortId(row.job_id);
  return (
    <div
      role="row"
      id={`job-row-${index}`}
      aria-rowindex={index + 2}
      aria-selected={active}
      aria-current={selected ? 'true' : undefined}
      className={className}
      style={placement}
      data-testid="job-row"
      data-job-id={row.job_id}
      onClick={() => onOpen(row.job_id)}
    >
      <div role="gridcell" className="choose-cell" onClick={(event) => event.stopPropagation()}>
        <input
          ref={choose}
          type="checkbox"
          checked={chosen === true}
          disabled={chosen === null}
          onChange={() => onChoose?.(row.job_id)}
          aria-label={chosen === null ? `${row.job_kind} ${short}: nothing to cancel` : `Choose ${row.job_kind} ${short}`}
          data-testid="job-choose"
        />
      </div>
      <div role="gridcell"><StateBadge state={row.state} /></div>
      <div role="gridcell" className="mono" data-testid="job-kind"><Highlight text={row.job_kind} terms={terms} /></div>
      <div role="gridcell" className="mono" title={row.job_id} data-testid="job-short-id"><Highlight text={short} terms={terms} /></div>
      <div role="gridcell" className="ellipsis col-protocol" title={row.protocol_id}><Highlight text={row.protocol_id} terms={terms} /></div>
      <div role="gridcell" className="col-created"><Time value={row.created_at} /></div>
      <div role="gridcell" className="col-updated"><Time value={row.updated_at} /></div>
      <div role="gridcell" className="num" data-testid="job-duration">{formatDuration(liveDurationMs(row, now))}</div>
      <div role="gridcell" className="num col-tokens">{formatNumber(row.metrics.total_tokens)}</div>
    </div>
  );
});
