/**
 * Runs and node executions on one time axis starting at the job's creation: each attempt its own
 * bar, the queue time before it drawn apart from its run time.
 */
import type { AiJob, NodeExecution, WorkflowRun } from '../../src-shared/job';
import { formatDuration } from '../lib/time';

interface Span {
  start: number;
  end: number;
}

export function runEnd(run: WorkflowRun, now: number): number {
  const start = Date.parse(run.created_at);
  if (run.finished_at) return Math.max(start, Date.parse(run.finished_at));
  // A live run reaches "now"; a stalled one ends at its last sign of life.
  return run.status === 'running' ? now : Math.max(start, Date.parse(run.last_heartbeat));
}

/**
 * Where a node's bar ends: its finish, or for a node still running, its run's end. A stalled node
 * is "finished" when recovery marked it, but it stopped working at its run's last heartbeat.
 */
export function nodeEnd(node: NodeExecution, run: WorkflowRun, now: number): number {
  const start = Date.parse(node.started_at);
  if (node.status === 'stalled' || !node.finished_at) return Math.max(start, runEnd(run, now));
  return Math.max(start, Date.parse(node.finished_at));
}

function axisOf(job: AiJob, runs: WorkflowRun[], now: number): Span {
  const start = Date.parse(job.created_at);
  const ends = runs.map((run) => runEnd(run, now));
  const end = Math.max(start + 1, Date.parse(job.updated_at), ...ends);
  return { start, end };
}

function place(span: Span, axis: Span): React.CSSProperties {
  const total = axis.end - axis.start;
  const left = ((span.start - axis.start) / total) * 100;
  const width = Math.max(0.4, ((span.end - span.start) / total) * 100);
  return { left: `${Math.max(0, left)}%`, width: `${Math.min(100 - Math.max(0, left), width)}%` };
}

function Bar({ span, axis, className, label }: { span: Span; axis: Span; className: string; label: string }) {
  return (
    <div className="waterfall-track">
      <div className={`waterfall-bar ${className}`} style={place(span, axis)} title={label} />
    </div>
  );
}

/** The latest of `times` at or before `at`, if any. */
function latestAtOrBefore(times: readonly number[], at: number): number | null {
  return times.reduce<number | null>((latest, time) => (time <= at && (latest === null || time > latest) ? time : latest), null);
}

/**
 * `requeuedAt`: when the job went back to the queue (a resume). A resumed attempt queued from
 * then, not from the previous attempt's last heartbeat (it sat stalled in between).
 */
export function Waterfall({ job, runs, now, requeuedAt = [] }: { job: AiJob; runs: WorkflowRun[]; now: number; requeuedAt?: readonly number[] }) {
  if (runs.length === 0) return <p className="muted" data-testid="waterfall-empty">No workflow runs yet: the job has not started.</p>;
  const axis = axisOf(job, runs, now);
  const ordered = [...runs].sort((a, b) => a.attempt - b.attempt);
  return (
    <div className="waterfall" data-testid="waterfall" role="list" aria-label="Runs and node executions over time">
      {ordered.map((run, index) => {
        const previous = ordered[index - 1];
        const runStart = Date.parse(run.created_at);
        const queuedFrom = previous ? (latestAtOrBefore(requeuedAt, runStart) ?? runEnd(previous, now)) : axis.start;
        const queue = { start: Math.min(queuedFrom, runStart), end: runStart };
        const execution = { start: runStart, end: runEnd(run, now) };
        return (
          <div key={run.workflow_run_id} role="listitem" className="waterfall-run" data-testid="waterfall-run">
            <div className="waterfall-label">
              attempt {run.attempt} · {run.status} · queued {formatDuration(queue.end - queue.start)} · ran{' '}
              {formatDuration(execution.end - execution.start)}
            </div>
            <div className="waterfall-track">
              <div className="waterfall-bar bar-queue" style={place(queue, axis)} title={`queued ${formatDuration(queue.end - queue.start)}`} />
              <div className={`waterfall-bar bar-run status-${run.status}`} style={place(execution, axis)} title={`ran ${formatDuration(execution.end - execution.start)}`} />
            </div>
            {run.nodes.map((node) => {
              const nodeStart = Date.parse(node.started_at);
              const span = { start: nodeStart, end: nodeEnd(node, run, now) };
              return (
                <div key={node.node_execution_id} className="waterfall-node">
                  <div className="waterfall-label node-label">
                    {node.node_id} · {node.status} · {formatDuration(span.end - span.start)}
                  </div>
                  <Bar span={span} axis={axis} className={`bar-node status-${node.status}`} label={`${node.node_id}: ${node.status}`} />
                </div>
              );
            })}
          </div>
        );
      })}
      <div className="waterfall-legend" aria-hidden="true">
        <span className="legend-swatch bar-queue" /> queue time <span className="legend-swatch bar-run" /> run time{' '}
        <span className="legend-swatch bar-node" /> node
      </div>
    </div>
  );
}
