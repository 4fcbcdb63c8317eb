/** Choosing what to compare job A with: one of its other attempts, a recent job of the same kind, or any job by id. */
import { useEffect, useState } from 'react';
import type { AiJob } from '../../src-shared/job';
import { useApi } from '../api/ApiContext';
import { isUnsupported } from '../api/records';
import { IdInput } from '../components/IdInput';
import { Time } from '../components/Time';
import { useViewState } from '../state/useViewState';
import { shortId } from '../lib/short-id';
import type { CompareSide } from './useCompareSide';

function useSameKind(job: AiJob): AiJob[] {
  const api = useApi();
  const [jobs, setJobs] = useState<AiJob[]>([]);
  useEffect(() => {
    void api['jobs.list']({ job_kind: job.job_kind, limit: 8 }).then((result) => {
      if (result.ok) setJobs(result.data.items.filter((row): row is AiJob => !isUnsupported(row) && row.job_id !== job.job_id).slice(0, 6));
    });
  }, [api, job.job_id, job.job_kind]);
  return jobs;
}

export function ComparePicker({ side }: { side: CompareSide }) {
  const { navigate } = useViewState();
  const sameKind = useSameKind(side.job);
  const runs = [...side.runs].sort((a, b) => a.attempt - b.attempt);
  const pickJob = (jobB: string | null) => jobB && navigate((state) => ({ ...state, compare: { ...state.compare, jobB, runA: null, runB: null } }));
  return (
    <section className="compare-picker" aria-label="Choose what to compare with" data-testid="compare-picker">
      <h3>Compare {side.job.job_kind} {shortId(side.job.job_id)} with…</h3>
      {runs.length >= 2 && (
        <p>
          Another attempt of this job:{' '}
          {runs.slice(1).map((run, index) => (
            <button
              key={run.workflow_run_id}
              type="button"
              className="button-small"
              onClick={() => navigate((state) => ({ ...state, compare: { jobA: side.job.job_id, jobB: null, runA: runs[index]!.workflow_run_id, runB: run.workflow_run_id } }))}
              data-testid="compare-pick-attempts"
            >
              attempt {runs[index]!.attempt} and {run.attempt}
            </button>
          ))}
        </p>
      )}
      {sameKind.length > 0 && (
        <div>
          <p>A recent {side.job.job_kind} job:</p>
          <ul className="plain compare-suggestions">
            {sameKind.map((job) => (
              <li key={job.job_id}>
                <button type="button" className="link" onClick={() => pickJob(job.job_id)} data-testid="compare-pick-job">
                  {shortId(job.job_id)}
                </button>{' '}
                <span className="muted">{job.state} · <Time value={job.created_at} /></span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <IdInput label="Any job, by its full id" value={null} onCommit={pickJob} testId="compare-job-id" />
    </section>
  );
}
