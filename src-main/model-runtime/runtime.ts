/**
 * The one interface every model-backed job kind calls (spec HSK-TRAIT-004, "LLM client").
 * Two implementations: Ollama over HTTP on localhost, and a deterministic mock that must be chosen
 * explicitly and says so in its model_id (`mock:<name>`). There is no silent fallback between them.
 */

import type { ModelRuntimeChoice, ModelRuntimeKind } from '../../src-shared/enums';

export type { ModelRuntimeKind };

export interface CompletionRequest {
  /** The job's trace_id: every model call is correlated with the job that caused it. */
  trace_id: string;
  prompt: string;
  max_tokens: number;
  signal: AbortSignal;
}

export interface TokenUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface CompletionResponse {
  text: string;
  model_id: string;
  usage: TokenUsage;
  latency_ms: number;
  /** True when generation stopped at max_tokens: the output is usable only as a preview. */
  truncated: boolean;
}

export interface ModelRuntime {
  readonly kind: ModelRuntimeKind;
  /** What the UI shows, e.g. `Ollama llama3.2 at http://127.0.0.1:11434` or `Mock model runtime (demo)`. */
  readonly label: string;
  readonly modelId: string;
  /** Whether the runtime answers and has the model, and which models it has; never throws. */
  detect(signal?: AbortSignal): Promise<RuntimeDetection>;
  /** Throws ModelRuntimeUnavailableError when the runtime cannot be reached or lacks the model. */
  complete(request: CompletionRequest): Promise<CompletionResponse>;
}

export type RuntimeDetection = { ok: true; models: string[] } | { ok: false; message: string; models: string[] };

/** The configured runtime cannot serve; the message says how to make it serve. */
export class ModelRuntimeUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelRuntimeUnavailableError';
  }
}

/** What system.status shows about the configured runtime. */
export interface ModelRuntimeDescription {
  kind: ModelRuntimeChoice;
  label: string;
  model_id: string | null;
}

export function describeRuntime(runtime: ModelRuntime | null): ModelRuntimeDescription {
  if (!runtime) return { kind: 'none', label: 'No model runtime configured', model_id: null };
  return { kind: runtime.kind, label: runtime.label, model_id: runtime.modelId };
}

/** Whitespace-separated word count: the mock's token estimate. */
export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/u).length;
}
