/**
 * Row <-> record mapping of the diagnostics and problems tables: the stored columns, and the
 * Diagnostic and Problem records they are served as.
 */
import type {
  Diagnostic,
  DiagnosticSeverity,
  DiagnosticSource,
  DiagnosticSurface,
  LinkConfidence,
  Problem,
  ProblemStatus,
} from '../../src-shared/diagnostics';
import type { Actor } from '../../src-shared/enums';
import { toRfc3339 } from '../../src-shared/time';

export interface DiagnosticRow {
  id: string;
  fingerprint: string;
  title: string;
  message: string | null;
  severity: DiagnosticSeverity;
  source: DiagnosticSource;
  surface: DiagnosticSurface;
  tool: string | null;
  code: string | null;
  tags: string;
  wsid: string | null;
  job_id: string | null;
  model_id: string | null;
  actor: Actor;
  capability_id: string | null;
  policy_decision_id: string | null;
  locations: string;
  evidence_refs: string;
  link_confidence: LinkConfidence;
  link_explanation: string;
  trace_id: string;
  timestamp: number;
  metadata: string;
}

export interface ProblemRow {
  fingerprint: string;
  title: string;
  severity: DiagnosticSeverity;
  source: DiagnosticSource;
  surface: DiagnosticSurface;
  tool: string | null;
  code: string | null;
  status: ProblemStatus;
  count: number;
  first_seen: number;
  last_seen: number;
  latest_diagnostic_id: string;
  updated_at: number;
  latest_message: string | null;
  job_id: string | null;
  link_confidence: LinkConfidence;
  link_explanation: string;
}

export function toProblem(row: ProblemRow): Problem {
  return {
    fingerprint: row.fingerprint,
    title: row.title,
    severity: row.severity,
    source: row.source,
    surface: row.surface,
    tool: row.tool,
    code: row.code,
    status: row.status,
    count: row.count,
    first_seen: toRfc3339(row.first_seen),
    last_seen: toRfc3339(row.last_seen),
    latest_diagnostic_id: row.latest_diagnostic_id,
    latest_message: row.latest_message,
    job_id: row.link_confidence === 'direct' ? row.job_id : null,
    link_confidence: row.link_confidence,
    link_explanation: row.link_explanation,
    updated_at: toRfc3339(row.updated_at),
  };
}

export function toDiagnostic(row: DiagnosticRow, problem: Pick<ProblemRow, 'status' | 'count' | 'first_seen' | 'last_seen' | 'updated_at'>): Diagnostic {
  return {
    id: row.id,
    fingerprint: row.fingerprint,
    title: row.title,
    message: row.message,
    severity: row.severity,
    source: row.source,
    surface: row.surface,
    tool: row.tool,
    code: row.code,
    tags: JSON.parse(row.tags) as string[],
    wsid: row.wsid,
    job_id: row.job_id,
    model_id: row.model_id,
    actor: row.actor,
    capability_id: row.capability_id,
    policy_decision_id: row.policy_decision_id,
    locations: JSON.parse(row.locations) as Diagnostic['locations'],
    evidence_refs: JSON.parse(row.evidence_refs) as Diagnostic['evidence_refs'],
    link_confidence: row.link_confidence,
    link_explanation: row.link_explanation,
    trace_id: row.trace_id,
    status: problem.status,
    count: problem.count,
    first_seen: toRfc3339(problem.first_seen),
    last_seen: toRfc3339(problem.last_seen),
    timestamp: toRfc3339(row.timestamp),
    updated_at: toRfc3339(problem.updated_at),
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
  };
}
