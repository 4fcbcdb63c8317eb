/**
 * A deterministic stand-in for a model, for tests and the demo seed only. It is never chosen by
 * default (the caller passes `--model-runtime mock`), and it labels itself: model_id `mock:<name>`,
 * and every completion starts with `[mock:<name>]` so no output can pass for a real model's.
 */
import { countWords, type CompletionRequest, type CompletionResponse, type ModelRuntime } from './runtime';

export interface MockRuntimeOptions {
  name?: string;
  /** Simulated generation time, honouring the abort signal (lets tests cancel a model call). */
  delayMs?: number;
}

export class MockModelRuntime implements ModelRuntime {
  readonly kind = 'mock' as const;
  readonly modelId: string;
  readonly label: string;
  private readonly delayMs: number;

  constructor(options: MockRuntimeOptions = {}) {
    const name = options.name ?? 'echo';
    this.modelId = `mock:${name}`;
    this.label = `Mock model runtime (${this.modelId}; deterministic demo output, not a real model)`;
    this.delayMs = options.delayMs ?? 0;
  }

  async detect(): Promise<{ ok: true; models: string[] }> {
    return { ok: true, models: [this.modelId] };
  }

  async complete(request: CompletionRequest): Promise<CompletionResponse> {
    request.signal.throwIfAborted();
    if (this.delayMs > 0) await abortableDelay(this.delayMs, request.signal);
    // "Summarise" to half the prompt's words, cut at max_tokens like a real runtime's num_predict.
    const words = request.prompt.trim().split(/\s+/u).filter(Boolean);
    const wanted = Math.max(1, Math.ceil(words.length / 2));
    const kept = words.slice(0, Math.min(wanted, request.max_tokens));
    return {
      text: `[${this.modelId}] ${kept.join(' ')}`,
      model_id: this.modelId,
      usage: {
        prompt_tokens: countWords(request.prompt),
        completion_tokens: kept.length,
        total_tokens: countWords(request.prompt) + kept.length,
      },
      latency_ms: this.delayMs,
      truncated: wanted > request.max_tokens,
    };
  }
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
