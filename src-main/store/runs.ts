/**
 * workflow_runs and workflow_node_executions: attempts of a job, their heartbeats, and the nodes
 * (steps) inside them. Each write records its event in the caller's transaction.
 */
import type Database from 'better-sqlite3';
import type { NodeStatus, RunStatus } from '../../src-shared/enums';
import { ERROR_CODES, HskError } from '../../src-shared/errors';
import { reusedStepReason, type JsonValue, type NodeExecution, type WorkflowRun } from '../../src-shared/job';
import { ACTOR_OF_CAUSE, type TransitionCause } from '../../src-shared/transitions';
import { ENGINE_ACTOR_ID } from '../../src-shared/enums';
import { uuidv7 } from '../db/ids';
import { storedMessage, notFound, type AppendEvent } from './jobs';
import { redactStoredText } from '../security/redact';
import { toNode, toRun, type JobRow, type NodeRow, type RunRow } from './rows';

export interface NodeStart {
  node_id: string;
  node_type: string;
  sequence: number;
  input_payload?: JsonValue | null;
}

export interface NodeResult {
  status: NodeStatus;
  reason: string;
  output_payload?: JsonValue | null;
  error_message?: string | null;
}

function jsonOrNull(value: JsonValue | null | undefined): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

export class RunTable {
  private readonly sql;

  constructor(
    db: Database.Database,
    private readonly appendEvent: AppendEvent,
    private readonly now: () => number,
  ) {
    this.sql = {
      insertRun: db.prepare(`INSERT INTO workflow_runs (workflow_run_id, job_id, attempt, status, status_reason,
        last_heartbeat, created_at, updated_at, finished_at)
        VALUES (@workflow_run_id, @job_id, @attempt, 'running', 'running', @now, @now, @now, NULL)`),
      maxAttempt: db.prepare('SELECT coalesce(max(attempt), 0) FROM workflow_runs WHERE job_id = ?').pluck(),
      runById: db.prepare('SELECT * FROM workflow_runs WHERE workflow_run_id = ?'),
      runsOfJob: db.prepare('SELECT * FROM workflow_runs WHERE job_id = ? ORDER BY attempt ASC'),
      heartbeat: db.prepare(
        "UPDATE workflow_runs SET last_heartbeat = ? WHERE workflow_run_id = ? AND status = 'running'",
      ),
      finishRun: db.prepare(`UPDATE workflow_runs SET status = @status, status_reason = @status_reason,
        updated_at = @now, finished_at = @now WHERE workflow_run_id = @workflow_run_id`),
      insertNode: db.prepare(`INSERT INTO workflow_node_executions (node_execution_id, workflow_run_id, node_id,
        node_type, sequence, status, status_reason, input_payload, output_payload, error_message, started_at, finished_at)
        VALUES (@node_execution_id, @workflow_run_id, @node_id, @node_type, @sequence, 'running', 'running',
        @input_payload, NULL, NULL, @now, NULL)`),
      insertReusedNode: db.prepare(`INSERT INTO workflow_node_executions (node_execution_id, workflow_run_id, node_id,
        node_type, sequence, status, status_reason, input_payload, output_payload, error_message, started_at, finished_at)
        VALUES (@node_execution_id, @workflow_run_id, @node_id, @node_type, @sequence, 'completed', @status_reason,
        @input_payload, @output_payload, NULL, @now, @now)`),
      nodeById: db.prepare('SELECT * FROM workflow_node_executions WHERE node_execution_id = ?'),
      finishNode: db.prepare(`UPDATE workflow_node_executions SET status = @status, status_reason = @status_reason,
        output_payload = @output_payload, error_message = @error_message, finished_at = @now
        WHERE node_execution_id = @node_execution_id`),
      nodesOfRun: db.prepare('SELECT * FROM workflow_node_executions WHERE workflow_run_id = ? ORDER BY sequence ASC'),
    };
  }

  row(runId: string): RunRow {
    const row = this.sql.runById.get(runId) as RunRow | undefined;
    if (!row) throw notFound('workflow run', runId);
    return row;
  }

  /** A new running attempt of `job` and its workflow_run_started event. Caller's transaction. */
  insert(job: JobRow): WorkflowRun {
    const runId = uuidv7();
    const attempt = (this.sql.maxAttempt.get(job.job_id) as number) + 1;
    const now = this.now();
    this.sql.insertRun.run({ workflow_run_id: runId, job_id: job.job_id, attempt, now });
    this.appendEvent({
      type: 'workflow_run_started',
      actor: 'system',
      actor_id: ENGINE_ACTOR_ID,
      trace_id: job.trace_id,
      job_id: job.job_id,
      workflow_run_id: runId,
      payload: { workflow_run_id: runId, attempt, job_kind: job.job_kind },
    });
    const row: RunRow = { workflow_run_id: runId, job_id: job.job_id, attempt, status: 'running', status_reason: 'running', last_heartbeat: now, created_at: now, updated_at: now, finished_at: null };
    return toRun(row, []);
  }

  get(runId: string): WorkflowRun {
    return toRun(this.row(runId), this.nodesOf(runId));
  }

  ofJob(jobId: string): WorkflowRun[] {
    return (this.sql.runsOfJob.all(jobId) as RunRow[]).map((row) => toRun(row, this.nodesOf(row.workflow_run_id)));
  }

  private nodesOf(runId: string): NodeExecution[] {
    return (this.sql.nodesOfRun.all(runId) as NodeRow[]).map(toNode);
  }

  /** Updates last_heartbeat in place (no event). Only a running run has a heartbeat. */
  heartbeat(runId: string, atMs: number): void {
    this.sql.heartbeat.run(atMs, runId);
  }

  /** Ends a running attempt with its workflow_run_finished event. Caller's transaction. */
  finish(runId: string, status: RunStatus, reason: string): RunRow {
    const run = this.row(runId);
    if (run.status !== 'running') {
      throw new HskError(ERROR_CODES.conflict, `workflow run ${runId} is already ${run.status}`, { status: run.status });
    }
    const now = this.now();
    const statusReason = redactStoredText(reason);
    this.sql.finishRun.run({ workflow_run_id: runId, status, status_reason: statusReason, now });
    return { ...run, status, status_reason: statusReason, updated_at: now, finished_at: now };
  }

  /** The workflow_run_finished event of a run `finish` ended. */
  recordFinished(run: RunRow, job: JobRow, cause: TransitionCause): void {
    this.appendEvent({
      type: 'workflow_run_finished',
      actor: ACTOR_OF_CAUSE[cause],
      actor_id: cause === 'engine' ? ENGINE_ACTOR_ID : cause,
      trace_id: job.trace_id,
      job_id: run.job_id,
      workflow_run_id: run.workflow_run_id,
      payload: {
        workflow_run_id: run.workflow_run_id,
        status: run.status,
        reason: run.status_reason,
        duration_ms: (run.finished_at ?? run.updated_at) - run.created_at,
      },
    });
  }

  startNode(run: RunRow, job: JobRow, node: NodeStart): NodeExecution {
    const nodeExecutionId = uuidv7();
    this.sql.insertNode.run({
      node_execution_id: nodeExecutionId,
      workflow_run_id: run.workflow_run_id,
      node_id: node.node_id,
      node_type: node.node_type,
      sequence: node.sequence,
      input_payload: jsonOrNull(node.input_payload),
      now: this.now(),
    });
    this.appendEvent({
      type: 'workflow_node_started',
      actor: 'system',
      actor_id: ENGINE_ACTOR_ID,
      trace_id: job.trace_id,
      job_id: job.job_id,
      workflow_run_id: run.workflow_run_id,
      payload: { node_execution_id: nodeExecutionId, node_id: node.node_id, node_type: node.node_type, sequence: node.sequence },
    });
    return toNode(this.sql.nodeById.get(nodeExecutionId) as NodeRow);
  }

  /**
   * Records a step that is not run again: a completed node of an earlier attempt whose output this
   * attempt reuses, with its workflow_node_reused event. Caller's transaction.
   */
  reuseNode(run: RunRow, job: JobRow, node: NodeStart, from: NodeExecution, fromAttempt: number): NodeExecution {
    const nodeExecutionId = uuidv7();
    const now = this.now();
    this.sql.insertReusedNode.run({
      node_execution_id: nodeExecutionId,
      workflow_run_id: run.workflow_run_id,
      node_id: node.node_id,
      node_type: node.node_type,
      sequence: node.sequence,
      status_reason: reusedStepReason(fromAttempt),
      input_payload: jsonOrNull(node.input_payload),
      output_payload: jsonOrNull(from.output_payload),
      now,
    });
    this.appendEvent({
      type: 'workflow_node_reused',
      actor: 'system',
      actor_id: ENGINE_ACTOR_ID,
      trace_id: job.trace_id,
      job_id: job.job_id,
      workflow_run_id: run.workflow_run_id,
      payload: {
        node_execution_id: nodeExecutionId,
        node_id: node.node_id,
        sequence: node.sequence,
        from_node_execution_id: from.node_execution_id,
        from_workflow_run_id: from.workflow_run_id,
      },
    });
    return toNode(this.sql.nodeById.get(nodeExecutionId) as NodeRow);
  }

  nodeRow(nodeExecutionId: string): NodeRow {
    const node = this.sql.nodeById.get(nodeExecutionId) as NodeRow | undefined;
    if (!node) throw notFound('node execution', nodeExecutionId);
    return node;
  }

  finishNode(node: NodeRow, job: JobRow, result: NodeResult): NodeExecution {
    const now = this.now();
    this.sql.finishNode.run({
      node_execution_id: node.node_execution_id,
      status: result.status,
      status_reason: redactStoredText(result.reason),
      output_payload: jsonOrNull(result.output_payload),
      error_message: storedMessage(result.error_message),
      now,
    });
    this.appendEvent({
      type: 'workflow_node_finished',
      actor: 'system',
      actor_id: ENGINE_ACTOR_ID,
      trace_id: job.trace_id,
      job_id: job.job_id,
      workflow_run_id: node.workflow_run_id,
      payload: {
        node_execution_id: node.node_execution_id,
        node_id: node.node_id,
        status: result.status,
        reason: result.reason,
        duration_ms: now - node.started_at,
      },
    });
    return toNode(this.sql.nodeById.get(node.node_execution_id) as NodeRow);
  }
}
