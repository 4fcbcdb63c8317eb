/** The Timeline's job column: which job an event belongs to (kind and short id), one click away. */
import type { JobLabel } from '../../src-shared/inspector-views';
import { ViewLink, toJob } from '../components/ViewLink';
import { shortId } from '../lib/short-id';

export function JobCell({ jobId, label }: { jobId: string | null; label: JobLabel | undefined }) {
  if (!jobId) return <span className="job-cell muted" data-testid="event-job">no job</span>;
  const kind = label?.job_kind ?? 'job';
  return (
    <span className="job-cell" data-testid="event-job" data-job-id={jobId}>
      <ViewLink to={toJob(jobId)} className="job-link ellipsis" label={`Open ${kind} job ${shortId(jobId)}`} testId="event-job-link">
        <span className="job-kind">{label?.job_kind ?? '…'}</span> <code>{shortId(jobId)}</code>
      </ViewLink>
    </span>
  );
}
