import { afterEach, describe, expect, it } from 'vitest';
import { OllamaModelRuntime } from '../model-runtime/ollama';
import { closedPort, startFakeOllama, type FakeOllama } from '../testing/ollama-test-server';
import { MockModelRuntime } from '../model-runtime/mock';
import { drain, makeRig, type TestRig } from '../testing/workflows';

let rig: TestRig;
let server: FakeOllama | null = null;
afterEach(async () => {
  await rig.close();
  await server?.close();
  server = null;
});

const model = (kind: string, inputs: Record<string, string | number>, access_mode: 'analysis_only' | 'preview_only' = 'analysis_only') => ({
  job_kind: kind,
  protocol_id: `hsk.${kind}.v0`,
  access_mode,
  job_inputs: inputs,
});

describe('model-backed executors over Ollama HTTP', () => {
  it('completes doc_summarize with token metrics and an llm_inference event carrying the job trace_id', async () => {
    server = await startFakeOllama();
    rig = makeRig({ modelRuntime: new OllamaModelRuntime({ baseUrl: server.url, model: 'tiny' }) });
    const job = rig.submit(model('doc_summarize', { text: 'A long report about rivers.' }));
    await drain(rig.engine);
    const done = rig.store.getJob(job.job_id);
    expect(done.state).toBe('completed');
    expect(done.metrics).toMatchObject({ input_tokens: 11, output_tokens: 5, total_tokens: 16 });
    expect(done.job_outputs).toMatchObject({ model_id: 'ollama:tiny', output_text: 'A short summary.' });
    const [event] = rig.store.listEvents({ job_id: job.job_id, type: ['llm_inference'], limit: 5 }).items;
    expect(event?.model_id).toBe('ollama:tiny');
    expect(event?.payload).toMatchObject({ trace_id: job.trace_id, model_id: 'ollama:tiny', token_usage: { total_tokens: 16 } });
  });

  it('ends as completed_with_issues when the output was cut at max_tokens', async () => {
    server = await startFakeOllama();
    rig = makeRig({ modelRuntime: new OllamaModelRuntime({ baseUrl: server.url, model: 'tiny' }) });
    const job = rig.submit(model('doc_rewrite', { text: 'Rewrite me.', max_tokens: 2 }, 'preview_only'));
    await drain(rig.engine);
    const done = rig.store.getJob(job.job_id);
    expect(done.state).toBe('completed_with_issues');
    expect(done.status_reason).toBe('output_truncated');
  });

  it('fails with model_runtime_unavailable and how to start Ollama when nothing listens', async () => {
    rig = makeRig({ modelRuntime: new OllamaModelRuntime({ baseUrl: `http://127.0.0.1:${await closedPort()}`, model: 'tiny' }) });
    const job = rig.submit(model('spec_router', { text: 'Where does this go?' }));
    await drain(rig.engine);
    const failed = rig.store.getJob(job.job_id);
    expect(failed.state).toBe('failed');
    expect(failed.status_reason).toBe('model_runtime_unavailable');
    expect(failed.error_message).toMatch(/ollama serve/);
  });

  it('fails with model_runtime_unavailable and `ollama pull` when the model is missing', async () => {
    server = await startFakeOllama(['other:latest']);
    rig = makeRig({ modelRuntime: new OllamaModelRuntime({ baseUrl: server.url, model: 'tiny' }) });
    const job = rig.submit(model('canvas_cluster', { text: 'notes' }));
    await drain(rig.engine);
    expect(rig.store.getJob(job.job_id).error_message).toMatch(/ollama pull tiny/);
  });

  it('fails with reason timeout when the runtime does not answer in time', async () => {
    server = await startFakeOllama();
    rig = makeRig({
      modelRuntime: new OllamaModelRuntime({ baseUrl: server.url, model: 'tiny' }),
      timeouts: { sheet_transform: 150 },
    });
    const job = rig.submit(model('sheet_transform', { text: 'HANG a,b\n1,2' }));
    await drain(rig.engine);
    expect(rig.store.getJob(job.job_id).status_reason).toBe('timeout');
  });

  it('is cancelled while the HTTP call is in flight', async () => {
    server = await startFakeOllama();
    rig = makeRig({ modelRuntime: new OllamaModelRuntime({ baseUrl: server.url, model: 'tiny' }) });
    const job = rig.submit(model('doc_edit', { text: 'HANG please' }, 'preview_only'));
    const started = rig.engine.waitFor((m) => m.type === 'run_started');
    rig.engine.start();
    await started;
    expect((await rig.engine.cancel(job.job_id, 'cancelled_by_operator')).state).toBe('cancelled');
    expect(rig.store.listEvents({ job_id: job.job_id, type: ['llm_inference'], limit: 5 }).items).toHaveLength(0);
  });
});

describe('model-backed executors: policy', () => {
  it('refuses distillation_eval unless it is analysis_only', async () => {
    rig = makeRig({ modelRuntime: new MockModelRuntime() });
    const job = rig.submit(model('distillation_eval', { text: 'output to grade' }, 'preview_only'));
    await drain(rig.engine);
    expect(rig.store.getJob(job.job_id).status_reason).toBe('capability_denied');
    expect(rig.store.getJob(job.job_id).error_message).toMatch(/analysis_only/);
  });

  it('labels mock output as mock in the job outputs and the llm_inference event', async () => {
    rig = makeRig({ modelRuntime: new MockModelRuntime({ name: 'demo' }) });
    const job = rig.submit(model('distillation_eval', { text: 'output to grade' }));
    await drain(rig.engine);
    expect(rig.store.getJob(job.job_id).job_outputs).toMatchObject({ model_id: 'mock:demo', runtime: 'mock' });
    expect(rig.store.listEvents({ job_id: job.job_id, type: ['llm_inference'], limit: 5 }).items[0]?.model_id).toBe('mock:demo');
  });
});
