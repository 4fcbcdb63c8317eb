/**
 * Diagnostics (DIAG-SCHEMA-001, §11.4): one shape for every problem the app notices, grouped into
 * problems by a deterministic fingerprint. The vocabularies here are the only ones: the SQL CHECKs
 * of the `diagnostics` and `problems` tables and the UI's filters are written from these lists.
 */
import { z } from 'zod';
import { ActorSchema } from './enums';
import { UuidSchema } from './job';
import { Rfc3339Schema } from './time';

export const DIAGNOSTIC_SEVERITIES = ['fatal', 'error', 'warning', 'info', 'hint'] as const;
export type DiagnosticSeverity = (typeof DIAGNOSTIC_SEVERITIES)[number];

/** The fixed sources; `plugin:<name>` and `matcher:<name>` are open families (DIAG-SCHEMA-001). */
export const DIAGNOSTIC_SOURCES = ['lsp', 'terminal', 'validator', 'engine', 'connector', 'system'] as const;
export const DIAGNOSTIC_SOURCE_FAMILIES = ['plugin:', 'matcher:'] as const;
export type DiagnosticSource = (typeof DIAGNOSTIC_SOURCES)[number] | `plugin:${string}` | `matcher:${string}`;

export const DIAGNOSTIC_SURFACES = ['monaco', 'canvas', 'sheet', 'terminal', 'connector', 'system'] as const;
export type DiagnosticSurface = (typeof DIAGNOSTIC_SURFACES)[number];

export const LINK_CONFIDENCES = ['direct', 'inferred', 'ambiguous', 'unlinked'] as const;
export type LinkConfidence = (typeof LINK_CONFIDENCES)[number];

export const PROBLEM_STATUSES = ['open', 'acknowledged', 'muted', 'resolved'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

export const DiagnosticSeveritySchema = z.enum(DIAGNOSTIC_SEVERITIES);
export const DiagnosticSurfaceSchema = z.enum(DIAGNOSTIC_SURFACES);
export const LinkConfidenceSchema = z.enum(LINK_CONFIDENCES);
export const ProblemStatusSchema = z.enum(PROBLEM_STATUSES);
export const DiagnosticSourceSchema = z
  .string()
  .max(128)
  .refine(
    (value) =>
      (DIAGNOSTIC_SOURCES as readonly string[]).includes(value) ||
      DIAGNOSTIC_SOURCE_FAMILIES.some((family) => value.startsWith(family) && value.length > family.length),
    { message: `expected one of ${DIAGNOSTIC_SOURCES.join(', ')}, plugin:<name> or matcher:<name>` },
  ) as z.ZodType<DiagnosticSource, string>;

const Text = z.string().max(4_096);
const Short = z.string().min(1).max(256);
/** sha256 of the canonical tuple, lowercase hex (DIAG-SCHEMA-003). */
export const FingerprintSchema = z.string().regex(/^[0-9a-f]{64}$/);

export const DiagnosticRangeSchema = z.strictObject({
  startLine: z.number().int().nonnegative(),
  startColumn: z.number().int().nonnegative(),
  endLine: z.number().int().nonnegative(),
  endColumn: z.number().int().nonnegative(),
});

export const DiagnosticLocationSchema = z.strictObject({
  path: Text.optional(),
  uri: Text.optional(),
  wsid: Short.optional(),
  entity_id: Short.optional(),
  range: DiagnosticRangeSchema.optional(),
});
export type DiagnosticLocation = z.infer<typeof DiagnosticLocationSchema>;

export const EvidenceRefsSchema = z.strictObject({
  fr_event_ids: z.array(UuidSchema),
  related_job_ids: z.array(UuidSchema),
});
export type EvidenceRefs = z.infer<typeof EvidenceRefsSchema>;

/** A raw diagnostic instance as served; `status` and `count` are its problem's (grouped by fingerprint). */
export const DiagnosticSchema = z.strictObject({
  id: UuidSchema,
  fingerprint: FingerprintSchema,
  title: Text,
  message: Text.nullable(),
  severity: DiagnosticSeveritySchema,
  source: DiagnosticSourceSchema,
  surface: DiagnosticSurfaceSchema,
  tool: Short.nullable(),
  code: Short.nullable(),
  tags: z.array(Short),
  wsid: Short.nullable(),
  job_id: UuidSchema.nullable(),
  model_id: Short.nullable(),
  actor: ActorSchema,
  capability_id: Short.nullable(),
  policy_decision_id: Short.nullable(),
  locations: z.array(DiagnosticLocationSchema),
  evidence_refs: EvidenceRefsSchema,
  link_confidence: LinkConfidenceSchema,
  /** Why the job link has this confidence, in words ("why linked?"). */
  link_explanation: Text,
  trace_id: UuidSchema,
  status: ProblemStatusSchema,
  count: z.number().int().positive(),
  first_seen: Rfc3339Schema,
  last_seen: Rfc3339Schema,
  timestamp: Rfc3339Schema,
  updated_at: Rfc3339Schema,
  metadata: z.record(z.string(), z.unknown()),
});
export type Diagnostic = z.infer<typeof DiagnosticSchema>;

/** A problem: every instance sharing one fingerprint, with what the latest instance said. */
export const ProblemSchema = z.strictObject({
  fingerprint: FingerprintSchema,
  title: Text,
  severity: DiagnosticSeveritySchema,
  source: DiagnosticSourceSchema,
  surface: DiagnosticSurfaceSchema,
  tool: Short.nullable(),
  code: Short.nullable(),
  status: ProblemStatusSchema,
  count: z.number().int().positive(),
  first_seen: Rfc3339Schema,
  last_seen: Rfc3339Schema,
  latest_diagnostic_id: UuidSchema,
  latest_message: Text.nullable(),
  job_id: UuidSchema.nullable(),
  link_confidence: LinkConfidenceSchema,
  link_explanation: Text,
  updated_at: Rfc3339Schema,
});
export type Problem = z.infer<typeof ProblemSchema>;

/** What a producer hands to recordDiagnostic; the store adds id, fingerprint, link and times. */
export interface DiagnosticDraft {
  title: string;
  message?: string | null;
  severity: DiagnosticSeverity;
  source: DiagnosticSource;
  surface: DiagnosticSurface;
  tool?: string | null;
  code?: string | null;
  tags?: string[];
  wsid?: string | null;
  job_id?: string | null;
  model_id?: string | null;
  actor?: z.infer<typeof ActorSchema>;
  capability_id?: string | null;
  policy_decision_id?: string | null;
  locations?: DiagnosticLocation[];
  fr_event_ids?: string[];
  trace_id: string;
  metadata?: Record<string, unknown>;
}

/** Severities the triage loop starts from (§10.5: Problems filtered to error and fatal). */
export const TRIAGE_SEVERITIES: readonly DiagnosticSeverity[] = ['fatal', 'error'];
