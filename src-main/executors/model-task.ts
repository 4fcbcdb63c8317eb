/**
 * The model-backed kinds (doc_summarize, doc_rewrite, doc_edit, spec_router, distillation_eval,
 * sheet_transform, canvas_cluster): build a prompt, scan it for prompt injection, call the one
 * ModelRuntime, record `llm_inference`. Outputs are proposals only; nothing is written back.
 */
import { createHash } from 'node:crypto';
import type { JobKind } from '../../src-shared/enums';
import { JOB_INPUT_SCHEMAS, type ModelInputs } from '../../src-shared/job-inputs';
import { ModelRuntimeUnavailableError, type ModelRuntime } from '../model-runtime/runtime';
import { readDocumentFor } from './documents';
import { ExecutorFailure, invalidInputs, type ExecutorContext, type ExecutorEntry, type ExecutorResult } from './types';

export const MODEL_KINDS = [
  'doc_summarize',
  'doc_rewrite',
  'doc_edit',
  'spec_router',
  'distillation_eval',
  'sheet_transform',
  'canvas_cluster',
] as const satisfies readonly JobKind[];
export type ModelKind = (typeof MODEL_KINDS)[number];

const DEFAULT_MAX_TOKENS = 512;
const MODEL_TIMEOUT_MS = 120_000;
/** Characters of model output kept inline in job_outputs. */
const INLINE_OUTPUT_CHARS = 16_000;

/** What each kind asks the model; the document follows the task line. */
const TASKS = {
  doc_summarize: () => 'Summarize the following document in a few sentences.',
  doc_rewrite: (i) => `Rewrite the following text. ${i ?? 'Make it clearer and shorter.'}`,
  doc_edit: (i) => `Propose an edit to the following document as a preview. ${i ?? 'Fix errors.'}`,
  spec_router: () => 'Name the specification area this request belongs to, with one line of reasoning.',
  distillation_eval: () => 'Evaluate the following model output for faithfulness; answer with a score and reasons.',
  sheet_transform: (i) => `Transform the following table. ${i ?? 'Normalise the column values.'}`,
  canvas_cluster: () => 'Group the following notes into labelled clusters.',
} as const satisfies Record<ModelKind, (instruction: string | undefined) => string>;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function runModelTask(kind: ModelKind, inputs: ModelInputs, runtime: ModelRuntime, ctx: ExecutorContext): Promise<ExecutorResult> {
  ctx.signal.throwIfAborted();
  const document = inputs.path !== undefined ? readDocumentFor(ctx, inputs.path, { mustBeNamed: false }).text : (inputs.text ?? '');
  if (inputs.path !== undefined) ctx.addMetrics({ entities_read: 1 });
  const prompt = `${TASKS[kind](inputs.instruction)}\n\n${document}`;
  // Everything model-bound is scanned before the call; a hit poisons the job and ends here.
  ctx.guardModelInput(prompt, inputs.path !== undefined ? `document ${inputs.path}` : 'job_inputs');

  let response;
  ctx.authorize({ capability: 'model.call', checkpoint: 'model_call' });
  try {
    response = await runtime.complete({
      trace_id: ctx.job.trace_id,
      prompt,
      max_tokens: inputs.max_tokens ?? DEFAULT_MAX_TOKENS,
      signal: ctx.signal,
    });
  } catch (error) {
    if (error instanceof ModelRuntimeUnavailableError) throw new ExecutorFailure('model_runtime_unavailable', error.message);
    throw error;
  }
  ctx.recordEvent({
    type: 'llm_inference',
    actor: 'agent',
    model_id: response.model_id,
    payload: {
      trace_id: ctx.job.trace_id,
      model_id: response.model_id,
      token_usage: response.usage,
      latency_ms: response.latency_ms,
      prompt_hash: sha256(prompt),
      response_hash: sha256(response.text),
    },
  });
  // The prompt-injection guard runs on model output too: output that tries to steer the next step poisons the job.
  ctx.guardModelInput(response.text, 'model output');
  // The completeness check is a validator: truncated output is usable only as a preview.
  ctx.addMetrics({
    input_tokens: response.usage.prompt_tokens,
    output_tokens: response.usage.completion_tokens,
    total_tokens: response.usage.total_tokens,
    tokens_executor: response.usage.total_tokens,
    validators_run_count: 1,
  });
  return {
    status: response.truncated ? 'completed_with_issues' : 'completed',
    reason: response.truncated ? 'output_truncated' : 'model_output_ready',
    outputs: {
      model_id: response.model_id,
      runtime: runtime.kind,
      output_text: response.text.slice(0, INLINE_OUTPUT_CHARS),
      output_chars: response.text.length,
      token_usage: { ...response.usage },
      latency_ms: response.latency_ms,
      preview_only: true,
    },
  };
}

export function modelTaskExecutor(kind: ModelKind, runtime: ModelRuntime | null): ExecutorEntry {
  if (!runtime) {
    return {
      type: 'unavailable',
      status_reason: 'model_runtime_unavailable',
      message:
        'no model runtime is configured; start the app with --model-runtime ollama (and run `ollama serve`, `ollama pull <model>`), or --model-runtime mock for demo output',
    };
  }
  return {
    type: 'node',
    runtimeId: runtime.modelId,
    prepare(raw) {
      const parsed = JOB_INPUT_SCHEMAS[kind].safeParse(raw);
      if (!parsed.success) {
        throw invalidInputs(kind, `expected { text?, path?, instruction?, max_tokens? } (not both text and path): ${parsed.error.issues.map((i) => i.message).join('; ')}`);
      }
      const inputs = parsed.data as ModelInputs;
      return { timeoutMs: MODEL_TIMEOUT_MS, run: (ctx) => runModelTask(kind, inputs, runtime, ctx) };
    },
  };
}
