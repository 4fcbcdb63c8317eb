import { describe, expect, it } from 'vitest';
import { MockModelRuntime } from './mock';

const signal = new AbortController().signal;
const trace_id = '00000000-0000-4000-8000-000000000001';

describe('MockModelRuntime', () => {
  it('labels itself as a mock in its model_id, label and every completion', async () => {
    const runtime = new MockModelRuntime({ name: 'demo' });
    expect(runtime.modelId).toBe('mock:demo');
    expect(runtime.label).toMatch(/not a real model/);
    const response = await runtime.complete({ trace_id, prompt: 'one two three four', max_tokens: 10, signal });
    expect(response.text.startsWith('[mock:demo] ')).toBe(true);
  });

  it('is deterministic and reports truncation at max_tokens', async () => {
    const runtime = new MockModelRuntime();
    const prompt = 'a b c d e f g h i j';
    const first = await runtime.complete({ trace_id, prompt, max_tokens: 100, signal });
    expect(await runtime.complete({ trace_id, prompt, max_tokens: 100, signal })).toEqual(first);
    expect(first).toMatchObject({ truncated: false, usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
    expect(await runtime.complete({ trace_id, prompt, max_tokens: 2, signal })).toMatchObject({ truncated: true, usage: { completion_tokens: 2 } });
  });
});
