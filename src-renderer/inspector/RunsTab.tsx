import { reusedFromAttempt, type NodeExecution, type WorkflowRun } from '../../src-shared/job';
import type { ClientError } from '../api/records';
import { IdWithCopy } from '../components/CopyButton';
import { ErrorNote } from '../components/States';
import { Time } from '../components/Time';
import { formatAge, formatDuration } from "../lib/time";
import { CompareAttemptsLink } from "./CompareAttemptsLink";
import { nodeEnd } from "./Waterfall";

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

/** One row per node; narrow panes show each row as a small card (see .nodes-table in app.css). */
function NodeTable({ run, now }: { run: WorkflowRun; now: number }) {
  if (run.nodes.length === 0) return <p className="muted">No node executions.</p>;
  return (
    <table className="data-table nodes-table">
      <caption className="visually-hidden">Node executions of attempt {run.attempt}</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Node</th>
          <th scope="col">Status</th>
          <th scope="col">Started</th>
          <th scope="col">Took</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {run.nodes.map((node) => (
          <tr key={node.node_execution_id}>
            <td data-label="#">{node.sequence}</td>
            <td data-label="Node">
              <code>{node.node_id}</code>
              {node.node_type !== node.node_id && <span className="muted"> ({node.node_type})</span>}
            </td>
            <td data-label="Status"><NodeStatus node={node} /></td>
            <td data-label="Started"><Time value={node.started_at} /></td>
            <td data-label="Took" className="num">
              {formatDuration(nodeEnd(node, run, now) - Date.parse(node.started_at))}
              {node.status === 'running' ? ' so far' : ''}
            </td>
            <td data-label="Reason" className="reason-cell">{node.error_message ?? node.status_reason}</td>
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
      <CompareAttemptsLink runs={runs} />
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
            <NodeTable run={run} now={now} />
          </section>
        ))}
    </div>
  );
}
