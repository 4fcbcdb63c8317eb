import { reusedFromAttempt, type NodeExecution, type WorkflowRun } from '../../src-shared/job';
import type { ClientError } from '../api/records';
import { IdWithCopy } from '../components/CopyButton';
import { ErrorNote } from '../components/States';
import { Time } from '../components/Time';
import { formatAge } from '../lib/time';

/** A node's status; a reused step says which attempt's output it kept. */
function NodeStatus({ node }: { node: NodeExecution }) {
  const fromAttempt = reusedFromAttempt(node.status_reason);
  if (fromAttempt === null) return <>{node.status}</>;
  return (
    <>
      {node.status} <span className="badge" data-testid="node-reused">reused from attempt {fromAttempt}</span>
    </>
  );
}

function NodeTable({ run }: { run: WorkflowRun }) {
  if (run.nodes.length === 0) return <p className="muted">No node executions.</p>;
  return (
    <table className="data-table nodes-table">
      <caption className="visually-hidden">Node executions of attempt {run.attempt}</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Node</th>
          <th scope="col">Type</th>
          <th scope="col">Status</th>
          <th scope="col">Started</th>
          <th scope="col">Finished</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {run.nodes.map((node) => (
          <tr key={node.node_execution_id}>
            <td>{node.sequence}</td>
            <td><code>{node.node_id}</code></td>
            <td>{node.node_type}</td>
            <td><NodeStatus node={node} /></td>
            <td><Time value={node.started_at} /></td>
            <td><Time value={node.finished_at} /></td>
            <td>{node.error_message ?? node.status_reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Workflow runs: attempt, status, heartbeat and its age, node executions. */
export function RunsTab({ runs, error, now }: { runs: WorkflowRun[]; error: ClientError | null; now: number }) {
  if (error) return <ErrorNote error={error} />;
  if (runs.length === 0) return <p className="placeholder">No workflow runs yet.</p>;
  return (
    <div className="tab-body">
      {[...runs]
        .sort((a, b) => b.attempt - a.attempt)
        .map((run) => (
          <section key={run.workflow_run_id} className="run-card" data-testid="run-card" aria-label={`Attempt ${run.attempt}`}>
            <h3>
              Attempt {run.attempt} · <span className={`run-status status-${run.status}`}>{run.status}</span>
            </h3>
            <dl className="fields">
              <dt>workflow_run_id</dt>
              <dd><IdWithCopy value={run.workflow_run_id} label="workflow run id" /></dd>
              <dt>started</dt>
              <dd><Time value={run.created_at} /></dd>
              <dt>last heartbeat</dt>
              <dd data-testid="run-heartbeat">
                <Time value={run.last_heartbeat} /> <span className="muted">({formatAge(run.last_heartbeat, now)})</span>
              </dd>
              <dt>finished</dt>
              <dd><Time value={run.finished_at} /></dd>
              <dt>status_reason</dt>
              <dd><code>{run.status_reason || '—'}</code></dd>
            </dl>
            <NodeTable run={run} />
          </section>
        ))}
    </div>
  );
}
