import { memo } from 'react';
import type { AiJob } from '../../src-shared/job';
import { isUnsupported, type Row } from '../api/records';
import { StateBadge } from '../components/StateBadge';
import { Time } from '../components/Time';
import { UnsupportedRecordNote } from '../components/UnsupportedRecord';
import { formatDuration, formatNumber } from '../lib/time';
import { shortId } from '../lib/short-id';

export const ROW_HEIGHT = 34;

interface JobRowProps {
  row: Row<AiJob>;
  index: number;
  start: number;
  selected: boolean;
  active: boolean;
  onOpen: (jobId: string) => void;
}

/** One row of the jobs grid, absolutely placed by the virtualiser. */
export const JobRow = memo(function JobRow({ row, index, start, selected, active, onOpen }: JobRowProps) {
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
  return (
    <div
      role="row"
      id={`job-row-${index}`}
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={className}
      style={placement}
      data-testid="job-row"
      data-job-id={row.job_id}
      onClick={() => onOpen(row.job_id)}
    >
      <div role="gridcell"><StateBadge state={row.state} /></div>
      <div role="gridcell" className="mono" data-testid="job-kind">{row.job_kind}</div>
      <div role="gridcell" className="mono" title={row.job_id}>{shortId(row.job_id)}</div>
      <div role="gridcell" className="ellipsis" title={row.protocol_id}>{row.protocol_id}</div>
      <div role="gridcell"><Time value={row.created_at} /></div>
      <div role="gridcell"><Time value={row.updated_at} /></div>
      <div role="gridcell" className="num">{formatDuration(row.metrics.duration_ms)}</div>
      <div role="gridcell" className="num">{formatNumber(row.metrics.total_tokens)}</div>
    </div>
  );
});
