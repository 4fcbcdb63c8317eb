/**
 * One schema for the `job_inputs` of each kind. jobs.create refuses inputs that do not fit (the
 * issue names the field under `job_inputs`), the submit dialog checks with the same schemas before
 * sending, and each executor parses with its kind's schema again (the engine does not trust rows).
 */
import { z } from 'zod';
import { parseJobKind, type JobKind } from './enums';
import { Rfc3339Schema } from './time';

const MAX_TERMINAL_TIMEOUT_MS = 24 * 60 * 60 * 1000;
export const MAX_WORKFLOW_STEPS = 50;

/** Variables that change how other programs load code; refused even when given explicitly. */
export const FORBIDDEN_ENV = /^(?:LD_|DYLD_)|^(?:NODE_OPTIONS|BASH_ENV|ENV|PROMPT_COMMAND)$/;

const Path = z.string().min(1).max(4_096);

export const TerminalInputsSchema = z.strictObject({
  argv: z.array(z.string().min(1).max(4_096)).min(1).max(256),
  cwd: Path.optional(),
  timeout_ms: z.number().int().positive().max(MAX_TERMINAL_TIMEOUT_MS).optional(),
  env: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/), z.string().max(32_768))
    .refine((env) => !Object.keys(env).some((key) => FORBIDDEN_ENV.test(key)), {
      message: 'env may not set loader variables (LD_*, DYLD_*, NODE_OPTIONS, BASH_ENV, ENV, PROMPT_COMMAND)',
    })
    .optional(),
});
export type TerminalInputs = z.infer<typeof TerminalInputsSchema>;

export const DocIngestInputsSchema = z.strictObject({ path: Path });

export const AsrInputsSchema = z.strictObject({ path: Path });

const modelFields = {
  text: z.string().min(1).max(200_000).optional(),
  path: Path.optional(),
  instruction: z.string().max(4_000).optional(),
  max_tokens: z.number().int().positive().max(32_768).optional(),
};

/** The document comes inline (`text`) or from a file (`path`), never both; neither is an empty document. */
function atMostOneSource(inputs: { text?: string; path?: string }, ctx: z.RefinementCtx): void {
  if (inputs.text !== undefined && inputs.path !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['path'], message: 'give text or path, not both' });
  }
}

/**
 * The model kinds' inputs, all optional as the contract has them (`{ text?, path?, instruction? }`):
 * a job submitted without job_inputs (stored as null) runs on an empty document.
 */
export const ModelInputsSchema = z
  .strictObject(modelFields)
  .superRefine(atMostOneSource)
  .nullish()
  .transform((inputs) => inputs ?? {});
export type ModelInputs = z.infer<typeof ModelInputsSchema>;

/** DocsAiJobProfile's layer scope (L5569-5575): the granularity of a document job, not the core LayerScope. */
export const DOC_LAYER_SCOPES = ['block', 'section', 'document'] as const;

export const SelectionRangeSchema = z.strictObject({
  start_block_id: z.string().min(1).max(256),
  end_block_id: z.string().min(1).max(256),
  focus_offset: z.number().int().nonnegative().optional(),
});

/** doc_rewrite / doc_summarize: the model inputs plus a valid DocsAiJobProfile at the top level (L5577). */
export const DocsModelInputsSchema = z
  .strictObject({
    ...modelFields,
    doc_id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'doc_id must be a lowercase UUID'),
    selection: SelectionRangeSchema.optional(),
    layer_scope: z.enum(DOC_LAYER_SCOPES).optional(),
  })
  .superRefine(atMostOneSource);

const Uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'expected a lowercase UUID');
// Written out rather than imported from diagnostics.ts: it imports job.ts, which imports this
// module, and a schema used at load time must not meet that cycle half-way.
const Fingerprint = z.string().regex(/^[0-9a-f]{64}$/, 'expected a 64-hex fingerprint');

/** A debug bundle's scopes, for bundles.export and the job it starts alike. */
export const BUNDLE_SCOPES = ['job', 'trace', 'problem', 'time_window'] as const;
export type BundleScope = (typeof BUNDLE_SCOPES)[number];
// FULL_LOCAL is never exportable without a policy that allows it (§10.5.6); there is none.
export const BUNDLE_REDACTION_MODES = ['SAFE_DEFAULT', 'WORKSPACE'] as const;
const RedactionMode = z.enum(BUNDLE_REDACTION_MODES).optional();

/**
 * The one check of a bundle request's scope (bundles.export and the debug_bundle_export job): the
 * scope's own fields must be there, every other scope's field must not, and a window runs forwards.
 * `fieldsOf` names, per scope, the fields of that request's shape.
 */
export function checkBundleScope<F extends string>(
  inputs: { scope?: BundleScope; from?: string; to?: string } & Partial<Record<F, unknown>>,
  fieldsOf: Record<BundleScope, readonly F[]>,
  ctx: z.RefinementCtx,
): void {
  const scope = inputs.scope ?? 'job';
  const every = new Set(Object.values(fieldsOf).flat() as F[]);
  for (const field of every) {
    const wanted = fieldsOf[scope].includes(field);
    if (wanted && inputs[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `a ${scope} bundle needs ${field}` });
    if (!wanted && inputs[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `a ${scope} bundle takes no ${field}` });
  }
  if (inputs.from !== undefined && inputs.to !== undefined && Date.parse(inputs.from) > Date.parse(inputs.to)) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must not be before from' });
  }
}

/**
 * What a debug_bundle_export job collects: one job (`target_job_id`, scope job, the default), every
 * job of a trace, a problem's instances, or a time window. One object with a check per scope (not a
 * union), so a refusal names the missing or foreign field rather than "no shape matched".
 */
export const BundleInputsSchema = z
  .strictObject({
    scope: z.enum(BUNDLE_SCOPES).optional(),
    target_job_id: Uuid.optional(),
    trace_id: Uuid.optional(),
    fingerprint: Fingerprint.optional(),
    from: Rfc3339Schema.optional(),
    to: Rfc3339Schema.optional(),
    redaction_mode: RedactionMode,
  })
  .superRefine((inputs, ctx) =>
    checkBundleScope(inputs, { job: ['target_job_id'], trace: ['trace_id'], problem: ['fingerprint'], time_window: ['from', 'to'] }, ctx),
  );
export type BundleInputs = z.infer<typeof BundleInputsSchema>;

const StepSchema = z.strictObject({ kind: z.string().max(64), inputs: z.unknown().optional() });

export const WorkflowInputsSchema = z
  .strictObject({ steps: z.array(StepSchema).min(1).max(MAX_WORKFLOW_STEPS) })
  .superRefine((inputs, ctx) => {
    for (const [index, step] of inputs.steps.entries()) {
      const kind = parseJobKind(step.kind);
      if (!kind.ok) {
        ctx.addIssue({ code: 'custom', path: ['steps', index, 'kind'], message: kind.reason });
      } else if (kind.kind === 'workflow_run') {
        ctx.addIssue({ code: 'custom', path: ['steps', index, 'kind'], message: 'workflows do not nest' });
      } else {
        for (const issue of JOB_INPUT_SCHEMAS[kind.kind].safeParse(step.inputs).error?.issues ?? []) {
          ctx.addIssue({ code: 'custom', path: ['steps', index, 'inputs', ...issue.path], message: issue.message });
        }
      }
    }
  });

/** The schema of each kind's job_inputs; `satisfies Record<JobKind, ...>` keeps it total. */
export const JOB_INPUT_SCHEMAS: Record<JobKind, z.ZodType> = {
  terminal_exec: TerminalInputsSchema,
  doc_ingest: DocIngestInputsSchema,
  asr_transcribe: AsrInputsSchema,
  workflow_run: WorkflowInputsSchema,
  debug_bundle_export: BundleInputsSchema,
  doc_rewrite: DocsModelInputsSchema,
  doc_summarize: DocsModelInputsSchema,
  doc_edit: ModelInputsSchema,
  sheet_transform: ModelInputsSchema,
  canvas_cluster: ModelInputsSchema,
  spec_router: ModelInputsSchema,
  distillation_eval: ModelInputsSchema,
} satisfies Record<JobKind, z.ZodType>;

/** A workflow's steps, canonical kinds, once its inputs have passed WorkflowInputsSchema. */
export function workflowStepsOf(inputs: unknown): Array<{ kind: JobKind; inputs: unknown }> {
  const parsed = WorkflowInputsSchema.safeParse(inputs);
  if (!parsed.success) return [];
  return parsed.data.steps.flatMap((step) => {
    const kind = parseJobKind(step.kind);
    return kind.ok ? [{ kind: kind.kind, inputs: step.inputs ?? null }] : [];
  });
}

/** Every kind a job runs: its own, and for a workflow, each step's. */
export function kindsOfJob(kind: JobKind, inputs: unknown): JobKind[] {
  return kind === 'workflow_run' ? [kind, ...workflowStepsOf(inputs).map((step) => step.kind)] : [kind];
}

/** The argv of every command a job would start (shown to the operator before consenting). */
export function commandsOfJob(kind: JobKind, inputs: unknown): string[][] {
  const steps = kind === 'workflow_run' ? workflowStepsOf(inputs) : [{ kind, inputs }];
  return steps.flatMap((step) => {
    if (step.kind !== 'terminal_exec') return [];
    const parsed = TerminalInputsSchema.safeParse(step.inputs);
    return parsed.success ? [parsed.data.argv] : [];
  });
}
