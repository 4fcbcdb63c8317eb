/**
 * The diagnostics and problems tables (DiagnosticsStore, §11.4). `record` is the one way a
 * diagnostic is stored: the raw instance, its problem (grouped by fingerprint) and the FR-EVT-003
 * `diagnostic` event, in the caller's transaction. Raw instances are never changed or deleted;
 * the problems table is an index over them that `rebuildProblems` can recompute, keeping statuses.
 */
import type Database from 'better-sqlite3';
import type { Actor } from '../../src-shared/enums';
import type {
  Diagnostic,
  DiagnosticDraft,
  LinkConfidence,
  Problem,
  ProblemStatus,
} from '../../src-shared/diagnostics';
import type { EventDraft } from '../../src-shared/events';
import type { ProblemQuery } from '../../src-shared/ipc';
import { Conditions } from '../db/conditions';
import { decodeCursor, encodeCursor } from '../db/cursor';
import { uuidv7 } from '../db/ids';
import { MultiRowInsert } from '../db/multi-row-insert';
import { StatementCache } from '../db/statement-cache';
import { storedMessage, notFound } from '../store/jobs';
import { canonicalTuple, fingerprintOf, fingerprintOfTuple } from './fingerprint';
import { toDiagnostic, toProblem, type DiagnosticRow, type ProblemRow } from './rows';

/** How many candidate jobs a link search lists before it stops (ambiguous is ambiguous). */
const MAX_CANDIDATES = 10;
const DEFAULT_LIMIT = 100;

export interface JobLink {
  job_id: string | null;
  confidence: LinkConfidence;
  explanation: string;
  related_job_ids: string[];
}

export interface ProblemPage {
  items: Problem[];
  next_cursor: string | null;
}

export interface InstancePage {
  items: Diagnostic[];
  next_cursor: string | null;
}

type AppendEvent = (draft: EventDraft) => unknown;
/** Jobs a caller knows exist because it has just written them (a set of ids or a map by id). */
type KnownJobs = Pick<ReadonlySet<string>, 'has'>;
/** Appends events built from checked values, set based (FlightRecorder.recordChecked). */
type AppendCheckedEvents = (drafts: readonly EventDraft[]) => unknown;

const DIAGNOSTIC_COLUMNS = ['id', 'fingerprint', 'title', 'message', 'severity', 'source', 'surface', 'tool', 'code', 'tags',
  'wsid', 'job_id', 'model_id', 'actor', 'capability_id', 'policy_decision_id', 'locations', 'evidence_refs', 'link_confidence',
  'link_explanation', 'trace_id', 'timestamp', 'metadata'] as const satisfies readonly (keyof DiagnosticRow)[];

const PROBLEM_COLUMNS = `p.fingerprint, p.title, p.severity, p.source, p.surface, p.tool, p.code, p.status, p.count,
  p.first_seen, p.last_seen, p.latest_diagnostic_id, p.updated_at, d.message AS latest_message, d.job_id,
  d.link_confidence, d.link_explanation`;

/** A row's values in DIAGNOSTIC_COLUMNS order, for the one insert statement (one row or many). */
function columnsOf(row: DiagnosticRow): unknown[] {
  return DIAGNOSTIC_COLUMNS.map((column) => row[column]);
}

function directLink(jobId: string): JobLink {
  return { job_id: jobId, confidence: 'direct', explanation: `recorded by the job's own run: job ${jobId} exists`, related_job_ids: [jobId] };
}

export class DiagnosticTable {
  private readonly sql;
  private readonly statements: StatementCache;
  private readonly insertMany: MultiRowInsert;

  constructor(
    db: Database.Database,
    private readonly appendEvent: AppendEvent,
    private readonly now: () => number,
    private readonly appendCheckedEvents: AppendCheckedEvents = (drafts) => drafts.forEach((draft) => appendEvent(draft)),
  ) {
    this.statements = new StatementCache(db);
    this.insertMany = new MultiRowInsert(db, 'diagnostics', DIAGNOSTIC_COLUMNS);
    this.sql = {
      upsertProblem: db.prepare(`INSERT INTO problems (fingerprint, title, severity, source, surface, tool, code, status,
        count, first_seen, last_seen, latest_diagnostic_id, updated_at)
        VALUES (@fingerprint, @title, @severity, @source, @surface, @tool, @code, 'open', @n, @first_seen, @timestamp, @id, @timestamp)
        ON CONFLICT(fingerprint) DO UPDATE SET count = count + @n, last_seen = excluded.last_seen,
          latest_diagnostic_id = excluded.latest_diagnostic_id, title = excluded.title,
          status = CASE WHEN status = 'resolved' THEN 'open' ELSE status END, updated_at = excluded.updated_at`),
      problemStatus: db.prepare('SELECT status FROM problems WHERE fingerprint = ?').pluck(),
      setStatus: db.prepare('UPDATE problems SET status = @status, updated_at = @now WHERE fingerprint = @fingerprint'),
      problem: db.prepare(`SELECT ${PROBLEM_COLUMNS} FROM problems p JOIN diagnostics d ON d.id = p.latest_diagnostic_id
        WHERE p.fingerprint = ?`),
      diagnostic: db.prepare('SELECT * FROM diagnostics WHERE id = ?'),
      jobExists: db.prepare('SELECT 1 FROM ai_jobs WHERE job_id = ?').pluck(),
      jobsOfTrace: db.prepare(`SELECT job_id FROM ai_jobs WHERE trace_id = ? LIMIT ${MAX_CANDIDATES}`).pluck(),
    };
  }

  /**
   * The job link and its confidence (DIAG-SCHEMA-004): `direct` when the producer named a job
   * that exists; otherwise the jobs sharing the trace are the candidates — one is `inferred`,
   * several are `ambiguous` (all listed), none is `unlinked`.
   */
  linkOf(jobId: string | null | undefined, traceId: string): JobLink {
    if (jobId && this.sql.jobExists.get(jobId)) return directLink(jobId);
    const candidates = this.sql.jobsOfTrace.all(traceId) as string[];
    const named = jobId ? `job ${jobId} does not exist; ` : '';
    if (candidates.length === 1) {
      return { job_id: null, confidence: 'inferred', explanation: `${named}the only job on trace ${traceId} is ${candidates[0]}`, related_job_ids: candidates };
    }
    if (candidates.length > 1) {
      return { job_id: null, confidence: 'ambiguous', explanation: `${named}${candidates.length >= MAX_CANDIDATES ? `${MAX_CANDIDATES} or more` : candidates.length} jobs share trace ${traceId}; none is certain`, related_job_ids: candidates };
    }
    return { job_id: null, confidence: 'unlinked', explanation: `${named}no job is recorded on trace ${traceId}`, related_job_ids: [] };
  }

  /** Stores one raw instance, counts it into its problem, and records its `diagnostic` event. Caller's transaction. */
  record(draft: DiagnosticDraft): Diagnostic {
    return this.diagnostic(this.write(draft));
  }

  /**
   * `record` for the producers on the write path, which do not read the result back: the same
   * writes, without re-reading the instance and its problem. Returns the instance's id.
   */
  recordOnly(draft: DiagnosticDraft): string {
    return this.write(draft);
  }

  /**
   * `recordOnly` for many drafts at once (startup recovery's batches): the same instances and
   * `diagnostic` events, with each problem counted once per batch instead of once per instance,
   * the instances in multi-row inserts and their events appended set based: each event is built
   * here from the row just written (ids, a fingerprint, enum values), so it is checked by
   * construction and redacted on the way in like every other. `knownJobs` are jobs the caller
   * knows exist (it has just written them), linked directly without a lookup. Returns the
   * instances' ids, in the drafts' order. Caller's transaction.
   */
  recordMany(drafts: readonly DiagnosticDraft[], knownJobs?: KnownJobs): string[] {
    // The drafts of a batch mostly share one canonical tuple: each distinct one is hashed once.
    const hashed = new Map<string, string>();
    const fingerprint = (draft: DiagnosticDraft) => {
      const tuple = canonicalTuple(draft);
      let hash = hashed.get(tuple);
      if (hash === undefined) hashed.set(tuple, (hash = fingerprintOfTuple(tuple)));
      return hash;
    };
    const rows = drafts.map((draft) => this.rowOf(draft, fingerprint(draft), knownJobs));
    this.insertMany.run(rows.map(columnsOf));
    const events: EventDraft[] = [];
    for (const [fingerprint, group] of Map.groupBy(rows, (row) => row.fingerprint)) {
      const latest = group[group.length - 1]!;
      const previous = this.sql.problemStatus.get(fingerprint) as ProblemStatus | undefined;
      this.sql.upsertProblem.run({ ...latest, n: group.length, first_seen: group[0]!.timestamp });
      if (previous === 'resolved') events.push(this.statusEvent(fingerprint, latest.trace_id, 'resolved', 'open', 'recurred', 'system'));
    }
    for (const row of rows) events.push(this.diagnosticEvent(row));
    this.appendCheckedEvents(events);
    return rows.map((row) => row.id);
  }

  private write(draft: DiagnosticDraft): string {
    const row = this.rowOf(draft);
    const previous = this.sql.problemStatus.get(row.fingerprint) as ProblemStatus | undefined;
    this.insertMany.run([columnsOf(row)]);
    this.sql.upsertProblem.run({ ...row, n: 1, first_seen: row.timestamp });
    if (previous === 'resolved') {
      this.appendEvent(this.statusEvent(row.fingerprint, draft.trace_id, 'resolved', 'open', 'recurred', 'system'));
    }
    this.appendEvent(this.diagnosticEvent(row));
    return row.id;
  }

  /** The stored instance of a draft: linked to its job, fingerprinted, its free text kept to its limits. */
  private rowOf(draft: DiagnosticDraft, fingerprint = fingerprintOf(draft), knownJobs?: KnownJobs): DiagnosticRow {
    const link = draft.job_id && knownJobs?.has(draft.job_id) ? directLink(draft.job_id) : this.linkOf(draft.job_id, draft.trace_id);
    return {
      id: uuidv7(),
      fingerprint,
      title: draft.title.replaceAll('\r\n', '\n').trim().slice(0, 4_096),
      message: storedMessage(draft.message) ?? '',
      severity: draft.severity,
      source: draft.source,
      surface: draft.surface,
      tool: draft.tool ?? null,
      code: draft.code ?? null,
      tags: JSON.stringify(draft.tags ?? []),
      wsid: draft.wsid ?? null,
      job_id: link.confidence === 'direct' ? link.job_id : null,
      model_id: draft.model_id ?? null,
      actor: draft.actor ?? 'system',
      capability_id: draft.capability_id ?? null,
      policy_decision_id: draft.policy_decision_id ?? null,
      locations: JSON.stringify(draft.locations ?? []),
      evidence_refs: JSON.stringify({ fr_event_ids: draft.fr_event_ids ?? [], related_job_ids: link.related_job_ids }),
      link_confidence: link.confidence,
      link_explanation: link.explanation,
      trace_id: draft.trace_id,
      timestamp: this.now(),
      metadata: JSON.stringify(draft.metadata ?? {}),
    };
  }

  private diagnosticEvent(row: DiagnosticRow): EventDraft {
    return {
      type: 'diagnostic',
      actor: 'system',
      actor_id: 'diagnostics',
      trace_id: row.trace_id,
      job_id: row.job_id,
      payload: {
        diagnostic_id: row.id,
        fingerprint: row.fingerprint,
        severity: row.severity,
        source: row.source,
        ...(row.wsid ? { wsid: row.wsid } : {}),
      },
    };
  }

  private statusEvent(fingerprint: string, traceId: string, from: ProblemStatus, to: ProblemStatus, reason: string, actor: Actor): EventDraft {
    return {
      type: 'problem_status_changed',
      actor,
      actor_id: actor === 'human' ? 'operator' : 'diagnostics',
      trace_id: traceId,
      payload: { fingerprint, from_status: from, to_status: to, reason },
    };
  }

  diagnostic(id: string): Diagnostic {
    const row = this.sql.diagnostic.get(id) as DiagnosticRow | undefined;
    if (!row) throw notFound('diagnostic', id);
    return toDiagnostic(row, this.problemRow(row.fingerprint));
  }

  private problemRow(fingerprint: string): ProblemRow {
    const row = this.sql.problem.get(fingerprint) as ProblemRow | undefined;
    if (!row) throw notFound('problem', fingerprint);
    return row;
  }

  problem(fingerprint: string): Problem {
    return toProblem(this.problemRow(fingerprint));
  }

  /** Sets a problem's status and records the change (P-03). Caller's transaction. */
  setStatus(fingerprint: string, status: ProblemStatus, reason: string, actor: Actor): Problem {
    const before = this.problemRow(fingerprint);
    this.sql.setStatus.run({ fingerprint, status, now: this.now() });
    const latest = this.sql.diagnostic.get(before.latest_diagnostic_id) as DiagnosticRow;
    this.appendEvent({ ...this.statusEvent(fingerprint, latest.trace_id, before.status, status, reason, actor), job_id: before.link_confidence === 'direct' ? before.job_id : null });
    return this.problem(fingerprint);
  }

  /**
   * Problems newest first (last seen), every filter in SQL, keyset pages. The page is chosen from
   * problems alone and only its rows are joined to their latest instance. A filter on several
   * severities walks the last_seen index in order (the unary + keeps the planner off the severity
   * index, which would have to sort every matching problem); one severity uses its own index.
   */
  listProblems(query: ProblemQuery): ProblemPage {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const where = new Conditions();
    const severities = query.severity ?? [];
    where.oneOf(severities.length > 1 ? '+p.severity' : 'p.severity', 'severity', severities);
    where.oneOf('p.source', 'source', query.source);
    where.oneOf('p.surface', 'surface', query.surface);
    where.oneOf('p.status', 'status', query.status);
    if (query.from !== undefined || query.to !== undefined) {
      // Seen in the window: at least one instance in it (idx_diag_fingerprint answers each probe).
      where.raw(
        `EXISTS (SELECT 1 FROM diagnostics w WHERE w.fingerprint = p.fingerprint AND w.timestamp >= @from AND w.timestamp <= @to)`,
        { from: query.from ?? 0, to: query.to ?? Number.MAX_SAFE_INTEGER },
      );
      where.raw('p.last_seen >= @from AND p.first_seen <= @to');
    }
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor, 'problems');
      where.raw('(p.last_seen < @after_seen OR (p.last_seen = @after_seen AND p.fingerprint < @after_fp))', {
        after_seen: cursor.last_seen,
        after_fp: cursor.fingerprint,
      });
    }
    // One job's problems are found from its instances (idx_diag_job_id), not by walking every
    // problem in order: CROSS JOIN keeps SQLite's join order, the job's fingerprints outermost.
    const from = query.job_id
      ? 'FROM (SELECT DISTINCT fingerprint FROM diagnostics WHERE job_id = @job_id) j CROSS JOIN problems p ON p.fingerprint = j.fingerprint'
      : 'FROM problems p';
    if (query.job_id) where.params.job_id = query.job_id;
    const order = 'ORDER BY p.last_seen DESC, p.fingerprint DESC';
    const sql = `SELECT ${PROBLEM_COLUMNS}
      FROM (SELECT p.* ${from} ${where.toSql()} ${order} LIMIT ${limit + 1}) p
      JOIN diagnostics d ON d.id = p.latest_diagnostic_id ${order}`;
    const rows = this.statements.get(sql).all(where.params) as ProblemRow[];
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(toProblem),
      next_cursor: rows.length > limit && last ? encodeCursor('problems', { last_seen: last.last_seen, fingerprint: last.fingerprint }) : null,
    };
  }

  /** A problem's raw instances, newest first. */
  instances(fingerprint: string, cursor: string | undefined, limit = DEFAULT_LIMIT): InstancePage {
    const problem = this.problemRow(fingerprint);
    const where = new Conditions();
    where.raw('fingerprint = @fingerprint', { fingerprint });
    if (cursor) {
      const after = decodeCursor(cursor, 'diagnostics');
      where.raw('(timestamp < @after_ts OR (timestamp = @after_ts AND id < @after_id))', { after_ts: after.timestamp, after_id: after.id });
    }
    const rows = this.statements
      .get(`SELECT * FROM diagnostics ${where.toSql()} ORDER BY timestamp DESC, id DESC LIMIT ${limit + 1}`)
      .all(where.params) as DiagnosticRow[];
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => toDiagnostic(row, problem)),
      next_cursor: rows.length > limit && last ? encodeCursor('diagnostics', { timestamp: last.timestamp, id: last.id }) : null,
    };
  }

  /** Raw instances in a time window (oldest first), at most `limit`; for time-window bundles. */
  inWindow(from: number, to: number, limit: number): Diagnostic[] {
    const rows = this.statements
      .get('SELECT * FROM diagnostics WHERE timestamp >= ? AND timestamp <= ? ORDER BY timestamp, id LIMIT ?')
      .all(from, to, limit) as DiagnosticRow[];
    return rows.map((row) => toDiagnostic(row, this.problemRow(row.fingerprint)));
  }

  /** Raw instances linked to a job (oldest first), at most `limit`. */
  ofJob(jobId: string, limit: number): Diagnostic[] {
    const rows = this.statements
      .get('SELECT * FROM diagnostics WHERE job_id = ? ORDER BY timestamp, id LIMIT ?')
      .all(jobId, limit) as DiagnosticRow[];
    return rows.map((row) => toDiagnostic(row, this.problemRow(row.fingerprint)));
  }

  /**
   * Recomputes the grouping index from the raw instances (counts, first/last seen, latest), keeping
   * each problem's status. Raw instances are only read: a recomputation never drops one.
   */
  rebuildProblems(): number {
    const statuses = this.statements.get('SELECT fingerprint, status FROM problems').all() as Array<{ fingerprint: string; status: ProblemStatus }>;
    this.statements.get('DELETE FROM problems').run();
    this.statements
      .get(`INSERT INTO problems (fingerprint, title, severity, source, surface, tool, code, status, count, first_seen,
        last_seen, latest_diagnostic_id, updated_at)
        SELECT d.fingerprint, d.title, d.severity, d.source, d.surface, d.tool, d.code, 'open', g.n, g.first_seen,
          d.timestamp, d.id, @now
        FROM (SELECT fingerprint, count(*) AS n, min(timestamp) AS first_seen,
                (SELECT id FROM diagnostics x WHERE x.fingerprint = diagnostics.fingerprint ORDER BY timestamp DESC, id DESC LIMIT 1) AS latest
              FROM diagnostics GROUP BY fingerprint) g
        JOIN diagnostics d ON d.id = g.latest`)
      .run({ now: this.now() });
    const restore = this.statements.get('UPDATE problems SET status = ? WHERE fingerprint = ?');
    for (const { fingerprint, status } of statuses) restore.run(status, fingerprint);
    return this.statements.get('SELECT count(*) FROM problems').pluck().get() as number;
  }
}
