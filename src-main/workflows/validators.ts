/**
 * The validator stage after a job's work (spec §2.5.10 validator interface, L4659-4687): each
 * validator answers allow / warn / deny, and may ask for a person. Deny beats a person, a person
 * beats warn, warn beats allow. The prompt-injection guard on model input and output runs inside
 * the model executor (a hit poisons at once, HSK-ACE-VAL-101); these run once the work is done.
 */
import type { JobKind } from '../../src-shared/enums';
import type { AiJob, JsonValue } from '../../src-shared/job';
import { Redactor } from '../security/redact';

export type ValidatorVerdict = 'allow' | 'warn' | 'deny';
export type HoldState = 'awaiting_validation' | 'awaiting_user';

export interface ValidatorResult {
  validator_id: string;
  result: ValidatorVerdict;
  /** The validator needs a person: the job waits in this state for jobs.accept / jobs.reject. */
  needs?: HoldState;
  message: string;
}

export interface ValidationReport {
  results: ValidatorResult[];
  verdict: ValidatorVerdict;
  hold: HoldState | null;
  /** The outputs as they may be kept (model output with secrets redacted), plus the report. */
  outputs: JsonValue | null;
}

/** Serialized job_outputs above this are replaced by a pointer to the node executions. */
export const MAX_INLINE_OUTPUT_BYTES = 200_000;

/** Kinds whose output is a proposed change: applying it (apply_scoped) needs a person's acceptance. */
const PROPOSES_EDITS: ReadonlySet<JobKind> = new Set<JobKind>(['doc_edit', 'doc_rewrite', 'sheet_transform']);

type JsonObject = { [key: string]: JsonValue };

function isObject(value: JsonValue | null | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The outputs of each step that produced model text (a single-step job is its own one step). */
function modelOutputsOf(outputs: JsonValue | null): JsonObject[] {
  if (!isObject(outputs)) return [];
  const steps = Array.isArray(outputs.steps) ? outputs.steps.map((step) => (isObject(step) ? step.outputs : null)) : [outputs];
  return steps.filter((step): step is JsonObject => isObject(step) && typeof step.output_text === 'string');
}

function outputSchema(job: AiJob, outputs: JsonValue | null): ValidatorResult {
  const multi = job.execution_mode === 'multi_step';
  const fits = multi ? isObject(outputs) && Array.isArray(outputs.steps) : isObject(outputs);
  return fits
    ? { validator_id: 'output_schema', result: 'allow', message: multi ? 'outputs list every step' : 'outputs are one JSON object' }
    : { validator_id: 'output_schema', result: 'deny', message: multi ? 'a workflow must report its steps' : 'outputs must be one JSON object' };
}

function outputSize(outputs: JsonValue | null): ValidatorResult {
  const bytes = outputs === null ? 0 : new TextEncoder().encode(JSON.stringify(outputs)).length;
  return bytes <= MAX_INLINE_OUTPUT_BYTES
    ? { validator_id: 'output_size', result: 'allow', message: `${bytes} bytes inline` }
    : { validator_id: 'output_size', result: 'warn', message: `${bytes} bytes; only a pointer to the node outputs is kept inline` };
}

/** Model output that looks like secrets or personal data is redacted, and a person validates what is left. */
function secretRedaction(modelOutputs: JsonObject[]): ValidatorResult {
  const redactor = new Redactor();
  for (const step of modelOutputs) step.output_text = redactor.redactText(step.output_text as string);
  const found = redactor.report.total;
  return found === 0
    ? { validator_id: 'secret_redaction', result: 'allow', message: 'no secrets or personal data in model output' }
    : {
        validator_id: 'secret_redaction',
        result: 'warn',
        needs: 'awaiting_validation',
        message: `model output held ${found} secret-like value${found === 1 ? '' : 's'} (${Object.keys(redactor.report.counts).join(', ')}); redacted, a person validates the rest`,
      };
}

function humanReview(job: AiJob): ValidatorResult {
  return job.access_mode === 'apply_scoped' && PROPOSES_EDITS.has(job.job_kind)
    ? { validator_id: 'human_review', result: 'allow', needs: 'awaiting_user', message: 'applying a proposed change needs the operator to accept it' }
    : { validator_id: 'human_review', result: 'allow', message: `${job.access_mode}: output is kept as a preview, nothing is applied` };
}

function aggregate(results: readonly ValidatorResult[]): Pick<ValidationReport, 'verdict' | 'hold'> {
  if (results.some((result) => result.result === 'deny')) return { verdict: 'deny', hold: null };
  const hold = results.some((result) => result.needs === 'awaiting_user')
    ? 'awaiting_user'
    : results.some((result) => result.needs === 'awaiting_validation')
      ? 'awaiting_validation'
      : null;
  return { verdict: results.some((result) => result.result === 'warn') ? 'warn' : 'allow', hold };
}

export function runValidators(job: AiJob, rawOutputs: JsonValue | null): ValidationReport {
  const outputs = rawOutputs === null ? null : (structuredClone(rawOutputs) as JsonValue);
  const schema = outputSchema(job, outputs);
  const results = [schema, outputSize(outputs)];
  if (schema.result !== 'deny') results.push(secretRedaction(modelOutputsOf(outputs)), humanReview(job));
  const { verdict, hold } = aggregate(results);
  const report = results.map(({ validator_id, result, message, needs }) => ({ validator_id, result, message, ...(needs ? { needs } : {}) }));
  return { results, verdict, hold, outputs: isObject(outputs) ? { ...outputs, validation: { verdict, hold, results: report } } : outputs };
}
