/**
 * A Store over an in-memory SQLite database holding one bundle's records, so the bundle is read
 * through exactly the queries (filters, full-text search, cursors, lanes, traces) the live data
 * is. The database never touches a disk; the schema comes from the same migrations.
 */
import Database from 'better-sqlite3';
import type { FlightEvent } from '../../src-shared/events';
import type { AiJob, WorkflowRun } from '../../src-shared/job';
import { parseRfc3339 } from '../../src-shared/time';
import { migrate } from '../db/migrate';
import { Store } from '../store/store';
import type { OpenedBundle } from './read-bundle';

function epoch(value: string): number {
  return parseRfc3339(value) ?? 0;
}

function epochOrNull(value: string | null): number | null {
  return value === null ? null : epoch(value);
}

function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function prepareInserts(db: Database.Database) {
  return {
    job: db.prepare(`INSERT INTO ai_jobs (job_id, trace_id, workflow_run_id, job_kind, status, status_reason, error_message,
      protocol_id, profile_id, capability_profile_id, access_mode, safety_mode, entity_refs, planned_operations, metrics,
      job_inputs, job_outputs, created_at, updated_at, completed_at, task_schema_version, workspace_scope, execution_mode,
      runtime_id, flight_recorder_span_id, consent_profile_id, consent_decision, consent_source, consent_decided_at,
      consent_expires_at, layer_scope)
      VALUES (@job_id, @trace_id, @workflow_run_id, @job_kind, @status, @status_reason, @error_message, @protocol_id,
      @profile_id, @capability_profile_id, @access_mode, @safety_mode, @entity_refs, @planned_operations, @metrics,
      @job_inputs, @job_outputs, @created_at, @updated_at, @completed_at, @task_schema_version, @workspace_scope,
      @execution_mode, @runtime_id, @flight_recorder_span_id, @consent_profile_id, @consent_decision, @consent_source,
      @consent_decided_at, @consent_expires_at, @layer_scope)`),
    run: db.prepare(`INSERT INTO workflow_runs (workflow_run_id, job_id, attempt, status, status_reason, last_heartbeat,
      created_at, updated_at, finished_at) VALUES (@workflow_run_id, @job_id, @attempt, @status, @status_reason,
      @last_heartbeat, @created_at, @updated_at, @finished_at)`),
    node: db.prepare(`INSERT INTO workflow_node_executions (node_execution_id, workflow_run_id, node_id, node_type, sequence,
      status, status_reason, input_payload, output_payload, error_message, started_at, finished_at)
      VALUES (@node_execution_id, @workflow_run_id, @node_id, @node_type, @sequence, @status, @status_reason,
      @input_payload, @output_payload, @error_message, @started_at, @finished_at)`),
    event: db.prepare(`INSERT INTO fr_events (seq, event_id, type, timestamp, actor, actor_id, trace_id, job_id,
      workflow_run_id, model_id, capability_id, payload) VALUES (@seq, @event_id, @type, @timestamp, @actor, @actor_id,
      @trace_id, @job_id, @workflow_run_id, @model_id, @capability_id, @payload)`),
  };
}

type Inserts = ReturnType<typeof prepareInserts>;

function insertJob(sql: Inserts, job: AiJob): void {
  const { consent, state, ...fields } = job;
  sql.job.run({
    ...fields,
    status: state,
    consent_decision: consent.decision,
    consent_source: consent.source,
    consent_decided_at: epochOrNull(consent.decided_at),
    consent_expires_at: epochOrNull(consent.expires_at),
    layer_scope: JSON.stringify(job.layer_scope),
    entity_refs: JSON.stringify(job.entity_refs),
    planned_operations: JSON.stringify(job.planned_operations),
    metrics: JSON.stringify(job.metrics),
    job_inputs: jsonOrNull(job.job_inputs),
    job_outputs: jsonOrNull(job.job_outputs),
    created_at: epoch(job.created_at),
    updated_at: epoch(job.updated_at),
    completed_at: epochOrNull(job.completed_at),
  });
}

function insertRun(sql: Inserts, run: WorkflowRun): void {
  const { nodes, ...row } = run;
  sql.run.run({
    ...row,
    last_heartbeat: epoch(run.last_heartbeat),
    created_at: epoch(run.created_at),
    updated_at: epoch(run.updated_at),
    finished_at: epochOrNull(run.finished_at),
  });
  for (const node of nodes) {
    sql.node.run({
      ...node,
      input_payload: jsonOrNull(node.input_payload),
      output_payload: jsonOrNull(node.output_payload),
      started_at: epoch(node.started_at),
      finished_at: epochOrNull(node.finished_at),
    });
  }
}

function insertEvent(sql: Inserts, event: FlightEvent): void {
  sql.event.run({ ...event, timestamp: epoch(event.timestamp), payload: JSON.stringify(event.payload) });
}

/** Inserts each record on its own, so one the schema refuses is reported and the rest still load. */
function loadEach<T>(items: readonly T[], label: (item: T) => string, insert: (item: T) => void, problems: string[]): void {
  for (const item of items) {
    try {
      insert(item);
    } catch (error) {
      problems.push(`${label(item)} could not be loaded: ${(error as Error).message}`);
    }
  }
}

export function storeOfBundle(bundle: OpenedBundle): { store: Store; problems: string[] } {
  const db = new Database(':memory:');
  migrate(db);
  const sql = prepareInserts(db);
  const problems: string[] = [];
  db.transaction(() => {
    loadEach(bundle.job ? [bundle.job] : [], (job) => `job ${job.job_id}`, (job) => insertJob(sql, job), problems);
    loadEach(bundle.runs, (run) => `run ${run.workflow_run_id}`, (run) => insertRun(sql, run), problems);
    // The recorder finds time windows by binary search over seq: keep the exporter's order.
    const ordered = [...bundle.events].sort((a, b) => a.seq - b.seq);
    loadEach(ordered, (event) => `event ${event.event_id}`, (event) => insertEvent(sql, event), problems);
  })();
  return { store: new Store(db), problems };
}
