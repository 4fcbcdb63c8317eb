/**
 * Imports a database written by the original Handshake (free-text job_kind/status, metrics that
 * may be NULL or partial) and normalises it as work packet GAP-1..5 says:
 * - term_exec -> terminal_exec;
 * - governance_pack_export -> workflow_run with protocol_id hsk.governance_pack.export.v0;
 * - doc_test and any other non-canonical kind are NOT re-labelled by guesswork: the row is kept
 *   whole in legacy_quarantine with the reason and reported, and left out of ai_jobs;
 * - NULL or partial metrics become complete, zero-filled metrics.
 * Nothing is lost: every source row ends up imported, quarantined or reported as already present.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import { z } from 'zod';
import {
  ACCESS_MODES,
  JOB_STATES,
  NODE_STATUSES,
  RUN_STATUSES,
  SAFETY_MODES,
  parseJobKind,
  type JobKind,
} from '../../src-shared/enums';
import { ERROR_CODES, HskError } from '../../src-shared/errors';
import { EntityRefSchema, METRIC_KEYS, PlannedOperationSchema, zeroMetrics, type JobMetrics } from '../../src-shared/job';
import { parseRfc3339 } from '../../src-shared/time';
import { GOVERNANCE_PACK_PROTOCOL } from '../../src-shared/protocols';
import { isTerminalState } from '../../src-shared/transitions';
import type { Store, StoreAccess } from '../store/store';
import { unrecordedModelFields, type JobRow } from '../store/rows';
import { redactStoredMessage, redactStoredText } from '../security/redact';


export interface LegacyImportReport {
  source: string;
  jobs_seen: number;
  jobs_imported: number;
  jobs_already_present: number;
  jobs_quarantined: number;
  runs_imported: number;
  runs_already_present: number;
  runs_quarantined: number;
  nodes_imported: number;
  nodes_already_present: number;
  nodes_quarantined: number;
  /** What was rewritten, per legacy row: e.g. "job_kind term_exec -> terminal_exec". */
  changes: Array<{ legacy_id: string; change: string }>;
  quarantined: Array<{ table: string; legacy_id: string | null; reason: string }>;
}

type LegacyRow = Record<string, unknown>;

/** Normalised job rows written per multi-row insert batch. */
const IMPORT_CHUNK_JOBS = 1_000;

class Quarantine extends Error {}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function text(row: LegacyRow, column: string): string | null {
  const value = row[column];
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

function required(row: LegacyRow, column: string): string {
  const value = text(row, column);
  if (value === null || value === '') throw new Quarantine(`missing ${column}`);
  return value;
}

function uuid(row: LegacyRow, column: string): string {
  const value = required(row, column);
  if (!UUID.test(value)) throw new Quarantine(`${column} is not a UUID: ${value.slice(0, 64)}`);
  return value.toLowerCase();
}

function optionalUuid(row: LegacyRow, column: string): string | null {
  return text(row, column) === null ? null : uuid(row, column);
}

/** SQLite CURRENT_TIMESTAMP ("2026-01-20 10:00:00", UTC), RFC3339, or epoch numbers. */
function timestamp(row: LegacyRow, column: string): number {
  const value = row[column];
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e12 ? Math.round(value * 1000) : value;
  const raw = required(row, column);
  const sqliteForm = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(raw) ? `${raw.replace(' ', 'T')}Z` : raw;
  const ms = parseRfc3339(sqliteForm);
  if (ms === null) throw new Quarantine(`${column} is not a timestamp: ${raw.slice(0, 64)}`);
  return ms;
}

function oneOf<T extends string>(row: LegacyRow, column: string, values: readonly T[]): T {
  const value = required(row, column);
  if (!(values as readonly string[]).includes(value)) throw new Quarantine(`unknown ${column} ${JSON.stringify(value)}`);
  return value as T;
}

function json(row: LegacyRow, column: string): unknown {
  const raw = text(row, column);
  if (raw === null) return null;
  try {
    return JSON.parse(raw);
  } catch {
    throw new Quarantine(`${column} is not valid JSON`);
  }
}

function jsonArray<S extends z.ZodType>(row: LegacyRow, column: string, item: S): z.output<S>[] {
  const value = json(row, column) ?? [];
  const parsed = z.array(item).safeParse(value);
  if (!parsed.success) throw new Quarantine(`${column} does not match the EntityRef/PlannedOperation shape`);
  return parsed.data;
}

/** NULL, partial or malformed metrics become complete metrics; each repair is reported. */
function normaliseMetrics(row: LegacyRow, note: (change: string) => void): JobMetrics {
  const raw = text(row, 'metrics');
  let stored: Record<string, unknown> = {};
  if (raw === null) note('metrics NULL -> zeroed');
  else {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) stored = parsed as Record<string, unknown>;
      else note('metrics not an object -> zeroed');
    } catch {
      note('metrics invalid JSON -> zeroed');
    }
  }
  const metrics = zeroMetrics();
  const filled: string[] = [];
  for (const key of METRIC_KEYS) {
    const value = stored[key];
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) metrics[key] = value;
    else if (raw !== null) filled.push(key);
  }
  if (filled.length > 0) note(`metrics ${filled.join(', ')} missing or invalid -> 0`);
  return metrics;
}

function normaliseKind(row: LegacyRow, note: (change: string) => void): { kind: JobKind; protocolId: string } {
  const rawKind = required(row, 'job_kind');
  const protocolId = required(row, 'protocol_id');
  if (rawKind === 'governance_pack_export') {
    note(`job_kind governance_pack_export -> workflow_run, protocol_id ${protocolId} -> ${GOVERNANCE_PACK_PROTOCOL}`);
    return { kind: 'workflow_run', protocolId: GOVERNANCE_PACK_PROTOCOL };
  }
  const parsed = parseJobKind(rawKind);
  if (!parsed.ok) throw new Quarantine(`non-canonical job_kind ${JSON.stringify(rawKind.slice(0, 64))}`);
  if (parsed.alias) note(`job_kind ${parsed.alias} -> ${parsed.kind}`);
  return { kind: parsed.kind, protocolId };
}

function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** How far an import is: `done` of `total` legacy rows (jobs, then runs) read. */
export type ImportProgress = (done: number, total: number) => void;

export function importLegacyDatabase(store: Store, sourcePath: string, onProgress: ImportProgress = () => {}): LegacyImportReport {
  if (!fs.existsSync(sourcePath)) {
    throw new HskError(ERROR_CODES.notFound, `legacy database ${sourcePath} does not exist`, { path: sourcePath });
  }
  const source = new Database(sourcePath, { readonly: true, fileMustExist: true });
  try {
    if (!tableExists(source, 'ai_jobs')) {
      throw new HskError(ERROR_CODES.invalidInput, `${sourcePath} has no ai_jobs table: not a Handshake database`);
    }
    return store.attach((access) => access.transaction(() => importRows(access, source, sourcePath, counter(source, onProgress))));
  } finally {
    source.close();
  }
}

/** Counts rows read and reports every hundredth (and the last) to `onProgress`. */
function counter(source: Database.Database, onProgress: ImportProgress): () => void {
  const rows = (table: string) => (tableExists(source, table) ? (source.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number) : 0);
  const total = rows('ai_jobs') + rows('workflow_runs');
  let done = 0;
  return () => {
    done += 1;
    if (done % 100 === 0 || done === total) onProgress(done, total);
  };
}

function importRows(access: StoreAccess, source: Database.Database, sourcePath: string, rowRead: () => void): LegacyImportReport {
  const { db, jobs } = access;
  const report: LegacyImportReport = {
    source: sourcePath,
    jobs_seen: 0,
    jobs_imported: 0,
    jobs_already_present: 0,
    jobs_quarantined: 0,
    runs_imported: 0,
    runs_already_present: 0,
    runs_quarantined: 0,
    nodes_imported: 0,
    nodes_already_present: 0,
    nodes_quarantined: 0,
    changes: [],
    quarantined: [],
  };
  const quarantine = db.prepare(`INSERT INTO legacy_quarantine (source, legacy_table, legacy_id, reason, row_json, quarantined_at)
    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(source, legacy_table, legacy_id) DO NOTHING`);
  const keep = (table: string, row: LegacyRow, reason: string) => {
    const legacyId = text(row, 'id');
    quarantine.run(sourcePath, table, legacyId, reason, JSON.stringify(row), Date.now());
    report.quarantined.push({ table, legacy_id: legacyId, reason });
  };
  /** Jobs this import wrote or an earlier import of the same database did: their runs belong. */
  const imported = new Set<string>();
  /** Normalised rows not yet written: they go in set based (JobTable.insertRows), a chunk at a time. */
  const pending: Array<Omit<JobRow, 'rowid'>> = [];

  for (const row of source.prepare('SELECT * FROM ai_jobs ORDER BY created_at, id').all() as LegacyRow[]) {
    report.jobs_seen += 1;
    rowRead();
    const changes: string[] = [];
    const note = (change: string) => changes.push(change);
    try {
      const jobId = uuid(row, 'id');
      if (imported.has(jobId) || jobs.exists(jobId)) {
        report.jobs_already_present += 1;
        imported.add(jobId);
        continue;
      }
      const { kind, protocolId } = normaliseKind(row, note);
      const status = oneOf(row, 'status', JOB_STATES);
      const createdAt = timestamp(row, 'created_at');
      const updatedAt = text(row, 'updated_at') === null ? createdAt : timestamp(row, 'updated_at');
      const terminal = isTerminalState(status);
      const jobInputs = row.job_inputs === null || row.job_inputs === undefined ? null : json(row, 'job_inputs');
      const runId = optionalUuid(row, 'workflow_run_id');
      pending.push({
        job_id: jobId,
        trace_id: uuid(row, 'trace_id'),
        workflow_run_id: runId,
        job_kind: kind,
        status,
        // Free text is stored redacted, as every writer stores it (the UI shows it, search indexes it).
        status_reason: redactStoredText(text(row, 'status_reason') ?? status),
        error_message: redactStoredMessage(text(row, 'error_message')),
        protocol_id: protocolId,
        profile_id: text(row, 'profile_id') ?? 'default',
        capability_profile_id: text(row, 'capability_profile_id') ?? 'Analyst',
        access_mode: oneOf(row, 'access_mode', ACCESS_MODES),
        safety_mode: oneOf(row, 'safety_mode', SAFETY_MODES),
        entity_refs: JSON.stringify(jsonArray(row, 'entity_refs', EntityRefSchema)),
        planned_operations: JSON.stringify(jsonArray(row, 'planned_operations', PlannedOperationSchema)),
        metrics: JSON.stringify(normaliseMetrics(row, note)),
        job_inputs: jobInputs === null ? null : JSON.stringify(jobInputs),
        job_outputs: row.job_outputs === null || row.job_outputs === undefined ? null : JSON.stringify(json(row, 'job_outputs')),
        created_at: createdAt,
        updated_at: updatedAt,
        completed_at: terminal ? updatedAt : null,
        ...unrecordedModelFields(kind, jobId, jobInputs, runId !== null),
      });
      if (pending.length === IMPORT_CHUNK_JOBS) jobs.insertRows(pending.splice(0));
      imported.add(jobId);
      report.jobs_imported += 1;
      for (const change of changes) report.changes.push({ legacy_id: jobId, change });
    } catch (error) {
      if (!(error instanceof Quarantine)) throw error;
      keep('ai_jobs', row, error.message);
      report.jobs_quarantined += 1;
    }
  }

  jobs.insertRows(pending.splice(0));

  if (tableExists(source, 'workflow_runs')) importRuns(source, db, imported, report, keep, rowRead);
  return report;
}

function importRuns(
  source: Database.Database,
  db: Database.Database,
  imported: Set<string>,
  report: LegacyImportReport,
  keep: (table: string, row: LegacyRow, reason: string) => void,
  rowRead: () => void,
): void {
  const insertRun = db.prepare(`INSERT OR IGNORE INTO workflow_runs (workflow_run_id, job_id, attempt, status, status_reason,
    last_heartbeat, created_at, updated_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertNode = db.prepare(`INSERT OR IGNORE INTO workflow_node_executions (node_execution_id, workflow_run_id,
    node_id, node_type, sequence, status, status_reason, input_payload, output_payload, error_message, started_at, finished_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const runExists = db.prepare('SELECT 1 FROM workflow_runs WHERE workflow_run_id = ?').pluck();
  const lastAttempt = db.prepare('SELECT coalesce(max(attempt), 0) FROM workflow_runs WHERE job_id = ?').pluck();
  const nodeExists = db.prepare('SELECT 1 FROM workflow_node_executions WHERE node_execution_id = ?').pluck();
  const importedRuns = new Set<string>();
  for (const row of source.prepare('SELECT * FROM workflow_runs ORDER BY created_at, id').all() as LegacyRow[]) {
    rowRead();
    try {
      const runId = uuid(row, 'id');
      if (runExists.get(runId)) {
        report.runs_already_present += 1;
        importedRuns.add(runId);
        continue;
      }
      const jobId = uuid(row, 'job_id');
      if (!imported.has(jobId)) throw new Quarantine('its job was not imported');
      const status = oneOf(row, 'status', RUN_STATUSES);
      const attempt = (lastAttempt.get(jobId) as number) + 1;
      const created = timestamp(row, 'created_at');
      const updated = text(row, 'updated_at') === null ? created : timestamp(row, 'updated_at');
      const heartbeat = text(row, 'last_heartbeat') === null ? created : timestamp(row, 'last_heartbeat');
      insertRun.run(runId, jobId, attempt, status, status, heartbeat, created, updated, status === 'running' ? null : updated);
      importedRuns.add(runId);
      report.runs_imported += 1;
    } catch (error) {
      if (!(error instanceof Quarantine)) throw error;
      keep('workflow_runs', row, error.message);
      report.runs_quarantined += 1;
    }
  }
  if (!tableExists(source, 'workflow_node_executions')) return;
  for (const row of source.prepare('SELECT * FROM workflow_node_executions ORDER BY sequence, id').all() as LegacyRow[]) {
    try {
      const nodeId = uuid(row, 'id');
      if (nodeExists.get(nodeId)) {
        report.nodes_already_present += 1;
        continue;
      }
      const runId = uuid(row, 'workflow_run_id');
      if (!importedRuns.has(runId)) throw new Quarantine('its workflow run was not imported');
      const status = oneOf(row, 'status', NODE_STATUSES);
      const started = timestamp(row, 'started_at');
      insertNode.run(
        nodeId,
        runId,
        required(row, 'node_id'),
        required(row, 'node_type'),
        Number(row.sequence ?? 1),
        status,
        status,
        row.input_payload === null || row.input_payload === undefined ? null : JSON.stringify(json(row, 'input_payload')),
        row.output_payload === null || row.output_payload === undefined ? null : JSON.stringify(json(row, 'output_payload')),
        redactStoredMessage(text(row, 'error_message')),
        started,
        text(row, 'finished_at') === null ? null : timestamp(row, 'finished_at'),
      );
      report.nodes_imported += 1;
    } catch (error) {
      if (!(error instanceof Quarantine)) throw error;
      keep('workflow_node_executions', row, error.message);
      report.nodes_quarantined += 1;
    }
  }
}
