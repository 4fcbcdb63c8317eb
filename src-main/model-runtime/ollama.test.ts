import { afterEach, describe, expect, it } from 'vitest';
import { OllamaModelRuntime } from './ollama';
import { ModelRuntimeUnavailableError } from './runtime';
import { closedPort, startFakeOllama, type FakeOllama } from '../testing/ollama-test-server';

let server: FakeOllama | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const request = (prompt: string, max_tokens = 64) => ({
  trace_id: '00000000-0000-4000-8000-000000000001',
  prompt,
  max_tokens,
  signal: new AbortController().signal,
});

describe('OllamaModelRuntime', () => {
  it('detects a running Ollama that has the model through /api/tags', async () => {
    server = await startFakeOllama(['tiny:latest']);
    expect(await new OllamaModelRuntime({ baseUrl: server.url, model: 'tiny' }).detect()).toMatchObject({ ok: true, models: ['tiny:latest'] });
    const missing = await new OllamaModelRuntime({ baseUrl: server.url, model: 'big' }).detect();
    expect(missing).toMatchObject({ ok: false });
    expect(!missing.ok && missing.message).toMatch(/ollama pull big/);
  });

  it('takes token counts from prompt_eval_count and eval_count and sends num_predict', async () => {
    server = await startFakeOllama();
    const runtime = new OllamaModelRuntime({ baseUrl: server.url, model: 'tiny' });
    const response = await runtime.complete(request('Summarize this.', 64));
    expect(response).toMatchObject({
      text: 'A short summary.',
      model_id: 'ollama:tiny',
      usage: { prompt_tokens: 11, completion_tokens: 5, total_tokens: 16 },
      truncated: false,
    });
    expect(server.requests.at(-1)?.body).toMatchObject({ model: 'tiny', stream: false, options: { num_predict: 64 } });
  });

  it('reports an unreachable runtime with how to start it, never a fallback', async () => {
    const runtime = new OllamaModelRuntime({ baseUrl: `http://127.0.0.1:${await closedPort()}`, model: 'tiny' });
    const error = await runtime.complete(request('hi')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelRuntimeUnavailableError);
    expect((error as Error).message).toMatch(/ollama serve/);
    expect((error as Error).message).toMatch(/ollama pull tiny/);
    expect(await runtime.detect()).toMatchObject({ ok: false });
  });
});
