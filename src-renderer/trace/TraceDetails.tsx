/** What the selected job, run or node of a trace is, with the way to its full record. */
import { IdWithCopy } from '../components/CopyButton';
import { StateBadge } from '../components/StateBadge';
import { Time } from '../components/Time';
import { ViewLink, toJob } from '../components/ViewLink';
import { useEscape } from '../lib/keyboard';
import type { TreeNode } from './trace-tree';

export function TraceDetails({ node, onClose }: { node: TreeNode; onClose: () => void }) {
  useEscape(onClose);
  const jobId = node.job?.job_id ?? node.run?.job_id ?? null;
  return (
    <aside className="drawer" aria-label="Trace item" data-testid="trace-details">
      <header className="drawer-head">
        <h2>
          {node.kind} <code>{node.job?.job_kind ?? node.node?.node_id ?? (node.run ? `attempt ${node.run.attempt}` : '')}</code>
        </h2>
        <button type="button" className="button-small" onClick={onClose} aria-label="Close details">×</button>
      </header>
      <dl className="fields">
        {node.job && (
          <>
            <dt>state</dt>
            <dd><StateBadge state={node.job.state} /> <code>{node.job.status_reason}</code></dd>
            <dt>job_id</dt>
            <dd><IdWithCopy value={node.job.job_id} label="job id" /></dd>
            <dt>created</dt>
            <dd><Time value={node.job.created_at} /></dd>
          </>
        )}
        {node.run && (
          <>
            <dt>status</dt>
            <dd><code>{node.run.status}</code> <code>{node.run.status_reason}</code></dd>
            <dt>workflow_run_id</dt>
            <dd><IdWithCopy value={node.run.workflow_run_id} label="workflow run id" /></dd>
            <dt>started</dt>
            <dd><Time value={node.run.created_at} /></dd>
            <dt>last heartbeat</dt>
            <dd><Time value={node.run.last_heartbeat} /></dd>
          </>
        )}
        {node.node && (
          <>
            <dt>status</dt>
            <dd><code>{node.node.status}</code> <code>{node.node.status_reason}</code></dd>
            <dt>type</dt>
            <dd><code>{node.node.node_type}</code></dd>
            <dt>started</dt>
            <dd><Time value={node.node.started_at} /></dd>
            <dt>finished</dt>
            <dd><Time value={node.node.finished_at} /></dd>
          </>
        )}
      </dl>
      {jobId && (
        <ViewLink to={toJob(jobId)} testId="trace-open-job">
          Open the job in the inspector
        </ViewLink>
      )}
    </aside>
  );
}
