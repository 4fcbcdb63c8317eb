import { afterEach, describe, expect, it, vi } from 'vitest';
import { openCore } from '../core/open-core';
import type { HandshakeCore } from '../core/types';
import { traceProblems } from '../testing/otlp-proto';
import { startOtlpReceiver, type OtlpReceiver } from '../testing/otlp-receiver';
import { jobFinished } from '../testing/core-milestones';
import { makeTempDir } from '../testing/temp-dir';
import { drain, makeRig, type TestRig } from '../testing/workflows';
import { LiveOtlpExporter, resolveOtlpTracesUrl } from './live-exporter';

let rig: TestRig | null = null;
let receiver: OtlpReceiver | null = null;
let core: HandshakeCore | null = null;
afterEach(async () => {
  await core?.close('test over');
  await rig?.close();
  await receiver?.close();
  vi.unstubAllEnvs();
  core = null;
  rig = null;
  receiver = null;
});

/** A finished terminal_exec job in a fresh store: three spans (job, run, node). */
async function finishedJob(): Promise<string> {
  rig = makeRig();
  const job = rig.submit({ job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['true'] } });
  await drain(rig.engine);
  return job.job_id;
}

const receivedSpans = (target: OtlpReceiver) => target.received.filter((request) => request.status === 200).flatMap((request) => request.spans);

describe('resolveOtlpTracesUrl', () => {
  it('takes --otlp-endpoint as a base, then OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, then OTEL_EXPORTER_OTLP_ENDPOINT as a base', () => {
    expect(resolveOtlpTracesUrl('http://127.0.0.1:4318/', {})).toBe('http://127.0.0.1:4318/v1/traces');
    expect(resolveOtlpTracesUrl(undefined, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/custom' })).toBe('http://c:4318/custom');
    expect(resolveOtlpTracesUrl(undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c.example' })).toBe('https://c.example/v1/traces');
    expect(resolveOtlpTracesUrl(undefined, {})).toBeNull();
    expect(() => resolveOtlpTracesUrl('collector:4318', {})).toThrow(/the OTLP endpoint must be an http\(s\) URL/);
  });
});

describe('LiveOtlpExporter', () => {
  it('sends a finished job over OTLP/HTTP with the standard headers; the receiver decodes it with the official definitions', async () => {
    const jobId = await finishedJob();
    receiver = await startOtlpReceiver();
    vi.stubEnv('OTEL_EXPORTER_OTLP_HEADERS', 'x-team=blue');
    const exporter = new LiveOtlpExporter(rig!.store, { url: receiver.tracesUrl, scheduledDelayMillis: 10 });
    exporter.jobFinished(jobId);
    await exporter.flush();

    expect(receiver.received.map((request) => request.problems)).toEqual([[]]);
    expect(receiver.received[0]!.headers['x-team']).toBe('blue');
    const spans = receivedSpans(receiver);
    expect(spans.map((span) => span.name).sort()).toEqual(['job terminal_exec', 'node terminal_exec', 'run terminal_exec #1']);
    expect(traceProblems(spans)).toEqual([]);
    expect(exporter.status()).toEqual({ endpoint: receiver.tracesUrl, exported_spans: 3, dropped_spans: 0, queued_spans: 0, last_error: null });
    await exporter.shutdown();
  });

  it('retries with backoff when the collector answers 503, and then delivers', async () => {
    const jobId = await finishedJob();
    receiver = await startOtlpReceiver();
    receiver.respondWith([503, 503]);
    const exporter = new LiveOtlpExporter(rig!.store, { url: receiver.tracesUrl, scheduledDelayMillis: 10 });
    exporter.jobFinished(jobId);
    await exporter.flush();
    expect(receiver.received.map((request) => request.status)).toEqual([503, 503, 200]);
    expect(exporter.status()).toMatchObject({ exported_spans: 3, dropped_spans: 0 });
    await exporter.shutdown();
  });

  it('drops and counts the spans when the collector is unreachable, and the job is unaffected', async () => {
    const jobId = await finishedJob();
    receiver = await startOtlpReceiver();
    const unreachable = receiver.tracesUrl;
    await receiver.close();
    receiver = null;
    const exporter = new LiveOtlpExporter(rig!.store, { url: unreachable, scheduledDelayMillis: 10, timeoutMillis: 500 });
    exporter.jobFinished(jobId);
    await exporter.flush();
    const status = exporter.status();
    expect(status).toMatchObject({ exported_spans: 0, dropped_spans: 3, queued_spans: 0 });
    expect(status.last_error).toEqual(expect.any(String));
    expect(rig!.store.getJob(jobId).state).toBe('completed');
    await exporter.shutdown();
  });
});

describe('live export in the core', () => {
  it('is off by default, and when on sends every finished job and reports its counters in system.status', async () => {
    const plain = await openCore({ dataDir: makeTempDir('hsk-live-off-'), host: 'browser', version: 'test' });
    expect((await plain.handlers['system.status']({})).otlp_export).toBeNull();
    await plain.close('test over');

    receiver = await startOtlpReceiver();
    core = await openCore({ dataDir: makeTempDir('hsk-live-on-'), host: 'browser', version: 'test', modelRuntime: 'mock', otlp: { url: receiver.tracesUrl, scheduledDelayMillis: 10 } });
    const job = await core.handlers['jobs.create']({ job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', job_inputs: { doc_id: '00000000-0000-4000-8000-0000000000d0', text: 'Numbers.' } });
    await jobFinished(core, job.job_id);
    // The counters are what the status bar shows; wait for them to report the delivery.
    await vi.waitFor(async () => expect((await core!.handlers['system.status']({})).otlp_export).toMatchObject({ exported_spans: 4, dropped_spans: 0 }), { timeout: 10_000, interval: 20 });
    const names = receivedSpans(receiver).map((span) => span.name);
    expect(names).toContainEqual(expect.stringMatching(/^text_completion \S+$/));
    expect(names).toContain('job doc_summarize');
  });
});
