/** The submit form's values, defaults and local validation (before anything is sent). */
import { z } from 'zod';
import type { AccessMode, JobKind, SafetyMode } from '../../src-shared/enums';
import { NewJobSchema, type NewJobInput } from '../../src-shared/job';
import type { FieldErrors } from './field-errors';
import { defaultProtocol } from '../../src-shared/protocols';

export interface SubmitForm {
  job_kind: JobKind;
  protocol_id: string;
  profile_id: string;
  access_mode: AccessMode;
  safety_mode: SafetyMode;
  trace_id: string;
  /** The inputs as JSON text: the one value the per-kind fields and the JSON editor both edit. */
  job_inputs: string;
}

/** The sample document the docs templates name (a DocsAiJobProfile needs a doc_id). */
export const SAMPLE_DOC_ID = '0193a1f2-4b5c-7d6e-8f90-a1b2c3d4e500';

/** A starting point per kind that passes the kind's schema, so the form shows the shape it expects. */
const MODEL_TASK_INPUTS = { text: 'Paste the text to work on here.', instruction: 'Summarise in two sentences.' };
const DOCS_TASK_INPUTS = { ...MODEL_TASK_INPUTS, doc_id: SAMPLE_DOC_ID };
const INPUT_TEMPLATES: Record<JobKind, unknown> = {
  terminal_exec: { argv: ['echo', 'hello from Handshake'], timeout_ms: 10_000 },
  doc_edit: MODEL_TASK_INPUTS,
  doc_rewrite: DOCS_TASK_INPUTS,
  doc_summarize: DOCS_TASK_INPUTS,
  sheet_transform: MODEL_TASK_INPUTS,
  canvas_cluster: MODEL_TASK_INPUTS,
  spec_router: MODEL_TASK_INPUTS,
  distillation_eval: MODEL_TASK_INPUTS,
  doc_ingest: { path: 'notes.md' },
  asr_transcribe: { path: 'recording.wav' },
  workflow_run: { steps: [{ kind: 'spec_router', inputs: { text: 'Where do recovery rules live?' } }] },
  debug_bundle_export: { target_job_id: '00000000-0000-4000-8000-000000000000', redaction_mode: 'SAFE_DEFAULT' },
};

/** The least access each kind needs (terminal commands must be apply_scoped; edits preview first). */
const DEFAULT_ACCESS: Partial<Record<JobKind, AccessMode>> = {
  terminal_exec: 'apply_scoped',
  doc_edit: 'preview_only',
  doc_rewrite: 'preview_only',
  sheet_transform: 'preview_only',
};

/** Runs locally without a model runtime, so a first submission just works. */
export const DEFAULT_KIND: JobKind = 'terminal_exec';

export function defaultForm(kind: JobKind = DEFAULT_KIND): SubmitForm {
  return {
    job_kind: kind,
    protocol_id: defaultProtocol(kind),
    profile_id: 'default',
    access_mode: DEFAULT_ACCESS[kind] ?? 'analysis_only',
    safety_mode: 'normal',
    trace_id: '',
    job_inputs: JSON.stringify(INPUT_TEMPLATES[kind], null, 2),
  };
}

/** Changing the kind refreshes fields the person has not edited away from the old kind's defaults. */
export function withKind(form: SubmitForm, kind: JobKind): SubmitForm {
  const before = defaultForm(form.job_kind);
  const after = defaultForm(kind);
  return {
    ...form,
    job_kind: kind,
    protocol_id: form.protocol_id === before.protocol_id ? after.protocol_id : form.protocol_id,
    access_mode: form.access_mode === before.access_mode ? after.access_mode : form.access_mode,
    job_inputs: form.job_inputs === before.job_inputs ? after.job_inputs : form.job_inputs,
  };
}

export type Validation = { ok: true; input: NewJobInput } | { ok: false; errors: FieldErrors };

export function parseJsonField(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (!text.trim()) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The inputs as an object the per-kind fields can edit, or null while the JSON does not parse to one. */
export function inputsObject(form: SubmitForm): Record<string, unknown> | null {
  const parsed = parseJsonField(form.job_inputs);
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) return null;
  return parsed.value as Record<string, unknown>;
}

/** Sets (or, for an empty value, removes) one input field, keeping the JSON text the one source. */
export function withInput(form: SubmitForm, key: string, value: unknown): SubmitForm {
  const inputs = { ...(inputsObject(form) ?? {}) };
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) delete inputs[key];
  else inputs[key] = value;
  return { ...form, job_inputs: JSON.stringify(inputs, null, 2) };
}

/** Each issue under its top-level field, and an inputs issue also under `job_inputs.<field>` for the per-kind fields. */
function issuesToFields(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const [field = 'form', ...rest] = issue.path.map(String);
    const where = rest.join('.');
    out[field] ??= where ? `${where}: ${issue.message}` : issue.message;
    if (field === 'job_inputs' && rest[0]) out[`job_inputs.${rest[0]}`] ??= issue.message;
  }
  return out;
}

/** doc_ingest reads only files the job names: the form names the file it is given. */
function entityRefsFor(kind: JobKind, inputs: unknown): NewJobInput['entity_refs'] {
  const steps = kind === 'workflow_run' ? ((inputs as { steps?: Array<{ kind?: unknown; inputs?: unknown }> } | null)?.steps ?? []) : [{ kind, inputs }];
  const paths = steps
    .filter((step) => step.kind === 'doc_ingest')
    .map((step) => (step.inputs as { path?: unknown } | null)?.path)
    .filter((path): path is string => typeof path === 'string' && path.length > 0);
  return paths.length > 0 ? [...new Set(paths)].map((path) => ({ entity_kind: 'file', entity_id: path })) : undefined;
}

/** Parses the form locally with the same schema the main process uses (kind, protocol, per-kind inputs). */
export function validateForm(form: SubmitForm): Validation {
  const inputs = parseJsonField(form.job_inputs);
  if (!inputs.ok) return { ok: false, errors: { job_inputs: inputs.message } };
  const candidate: Record<string, unknown> = {
    job_kind: form.job_kind,
    protocol_id: form.protocol_id.trim(),
    access_mode: form.access_mode,
    safety_mode: form.safety_mode,
  };
  if (form.profile_id.trim()) candidate.profile_id = form.profile_id.trim();
  if (form.trace_id.trim()) candidate.trace_id = form.trace_id.trim();
  if (inputs.value !== undefined) candidate.job_inputs = inputs.value;
  const refs = entityRefsFor(form.job_kind, inputs.value);
  if (refs) candidate.entity_refs = refs;
  const parsed = NewJobSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, errors: issuesToFields(parsed.error) };
  return { ok: true, input: candidate as NewJobInput };
}
