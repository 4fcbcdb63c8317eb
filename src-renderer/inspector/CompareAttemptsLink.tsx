/** On a job with more than one attempt: compare the last two side by side. */
import type { WorkflowRun } from '../../src-shared/job';
import { ViewLink } from '../components/ViewLink';

export function CompareAttemptsLink({ runs }: { runs: WorkflowRun[] }) {
  if (runs.length < 2) return null;
  const [previous, last] = [...runs].sort((a, b) => a.attempt - b.attempt).slice(-2) as [WorkflowRun, WorkflowRun];
  return (
    <p className="compare-attempts">
      <ViewLink
        to={(state) => ({ ...state, view: 'compare', compare: { jobA: last.job_id, jobB: null, runA: previous.workflow_run_id, runB: last.workflow_run_id } })}
        testId="compare-attempts"
      >
        Compare attempt {previous.attempt} with attempt {last.attempt}
      </ViewLink>
    </p>
  );
}
