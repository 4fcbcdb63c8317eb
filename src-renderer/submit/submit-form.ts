/** The submit form's values, defaults and local validation (before anything is sent). */
import { z } from 'zod';
import type { AccessMode, JobKind, SafetyMode } from '../../src-shared/enums';
import { NewJobSchema, type NewJobInput } from '../../src-shared/job';
import { issuesOf } from '../../src-shared/errors';
import { fieldErrorsFromIssues, type FieldErrors } from './field-errors';

export interface SubmitForm {
  job_kind: JobKind;
  protocol_id: string;
  profile_id: string;
  access_mode: AccessMode;
  safety_mode: SafetyMode;
  trace_id: string;
  job_inputs: string;
}

/** A starting point per kind, so the inputs box shows the shape its executor expects. */
const MODEL_TASK_INPUTS = { text: 'Paste the text to work on here.', instruction: 'Summarise in two sentences.' };
const INPUT_TEMPLATES: Partial<Record<JobKind, unknown>> = {
  terminal_exec: { argv: ['echo', 'hello from Handshake'], timeout_ms: 10_000 },
  doc_edit: MODEL_TASK_INPUTS,
  doc_rewrite: MODEL_TASK_INPUTS,
  doc_summarize: MODEL_TASK_INPUTS,
  sheet_transform: MODEL_TASK_INPUTS,
  canvas_cluster: MODEL_TASK_INPUTS,
  spec_router: MODEL_TASK_INPUTS,
  distillation_eval: MODEL_TASK_INPUTS,
  doc_ingest: { path: 'notes.md' },
  workflow_run: { steps: [{ kind: 'terminal_exec', inputs: { argv: ['echo', 'step 1'] } }] },
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
    protocol_id: `${kind}.v1`,
    profile_id: 'default',
    access_mode: DEFAULT_ACCESS[kind] ?? 'analysis_only',
    safety_mode: 'normal',
    trace_id: '',
    job_inputs: JSON.stringify(INPUT_TEMPLATES[kind] ?? {}, null, 2),
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

function parseJsonField(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (!text.trim()) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function issuesToFields(error: z.ZodError): FieldErrors {
  return fieldErrorsFromIssues(issuesOf(error), 'form');
}

/** Parses the form locally with the same schema the main process uses. */
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
  const parsed = NewJobSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, errors: issuesToFields(parsed.error) };
  return { ok: true, input: candidate as NewJobInput };
}
