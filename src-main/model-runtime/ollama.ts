/**
 * Ollama over its HTTP API on localhost (the spec's Phase 1 runtime). Detection uses /api/tags
 * (spec L49542); completions use /api/generate without streaming; token counts come from the
 * response's prompt_eval_count / eval_count.
 */
import { z } from 'zod';
import {
  ModelRuntimeUnavailableError,
  type RuntimeDetection,
  type CompletionRequest,
  type CompletionResponse,
  type ModelRuntime,
} from './runtime';

export const DEFAULT_OLLAMA_URL = 'http://127.0.0.1:11434';
export const DEFAULT_OLLAMA_MODEL = 'llama3.2';

export interface OllamaOptions {
  baseUrl?: string;
  model?: string;
}

const TagsResponse = z.object({ models: z.array(z.object({ name: z.string() })) });
const GenerateResponse = z.object({
  response: z.string(),
  done_reason: z.string().optional(),
  prompt_eval_count: z.number().int().nonnegative().optional(),
  eval_count: z.number().int().nonnegative().optional(),
});

export class OllamaModelRuntime implements ModelRuntime {
  readonly kind = 'ollama' as const;
  readonly modelId: string;
  readonly label: string;
  private readonly baseUrl: string;
  private readonly model: string;

  constructor(options: OllamaOptions = {}) {
    this.baseUrl = (options.baseUrl ?? DEFAULT_OLLAMA_URL).replace(/\/+$/u, '');
    this.model = options.model ?? DEFAULT_OLLAMA_MODEL;
    this.modelId = `ollama:${this.model}`;
    this.label = `Ollama (${this.model}) at ${this.baseUrl}`;
  }

  private howToStart(): string {
    return `start it with \`ollama serve\` and fetch the model with \`ollama pull ${this.model}\` (expected at ${this.baseUrl})`;
  }

  async detect(signal?: AbortSignal): Promise<RuntimeDetection> {
    try {
      const response = await fetch(`${this.baseUrl}/api/tags`, { signal: signal ?? AbortSignal.timeout(3_000) });
      if (!response.ok) return { ok: false, models: [], message: `Ollama answered ${response.status}; ${this.howToStart()}` };
      const models = TagsResponse.parse(await response.json()).models.map((m) => m.name);
      const present = models.some((name) => name === this.model || name === `${this.model}:latest`);
      return present
        ? { ok: true, models }
        : { ok: false, models, message: `Ollama is running but has no model ${this.model}; run \`ollama pull ${this.model}\`` };
    } catch (error) {
      return { ok: false, models: [], message: `Ollama is not reachable (${describeFetchError(error)}); ${this.howToStart()}` };
    }
  }

  async complete(request: CompletionRequest): Promise<CompletionResponse> {
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/api/generate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: this.model,
          prompt: request.prompt,
          stream: false,
          options: { num_predict: request.max_tokens },
        }),
        signal: request.signal,
      });
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason;
      throw new ModelRuntimeUnavailableError(
        `Ollama is not reachable (${describeFetchError(error)}); ${this.howToStart()}`,
      );
    }
    if (response.status === 404) {
      throw new ModelRuntimeUnavailableError(`Ollama has no model ${this.model}; run \`ollama pull ${this.model}\``);
    }
    if (!response.ok) {
      const body = (await response.text()).slice(0, 300);
      throw new Error(`Ollama /api/generate answered ${response.status}: ${body}`);
    }
    const parsed = GenerateResponse.parse(await response.json());
    const promptTokens = parsed.prompt_eval_count ?? 0;
    const completionTokens = parsed.eval_count ?? 0;
    return {
      text: parsed.response,
      model_id: this.modelId,
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
      latency_ms: Math.round(performance.now() - started),
      truncated: parsed.done_reason === 'length',
    };
  }
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
