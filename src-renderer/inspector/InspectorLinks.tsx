/** From one job to the views around it: its whole trace, and a comparison with another job or attempt. */
import type { AiJob } from '../../src-shared/job';
import { NO_COMPARE } from '../state/hash-state';
import { ViewLink, toTrace } from '../components/ViewLink';

export function InspectorLinks({ job }: { job: AiJob }) {
  return (
    <div className="inspector-links">
      <ViewLink to={toTrace(job.trace_id)} testId="open-trace">
        Open trace
      </ViewLink>
      <ViewLink to={(state) => ({ ...state, view: 'compare', compare: { ...NO_COMPARE, jobA: job.job_id } })} testId="open-compare">
        Compare…
      </ViewLink>
    </div>
  );
}
