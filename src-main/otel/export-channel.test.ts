import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../src-shared/ipc';
import { openCore } from '../core/open-core';
import type { HandshakeCore } from '../core/types';
import { createRouter } from '../ipc/router';
import { decodeTracesDataJson, spansOf, traceProblems } from '../testing/otlp-proto';
import { jobFinished } from '../testing/core-milestones';
import { makeTempDir } from '../testing/temp-dir';

let core: HandshakeCore | null = null;
afterEach(async () => {
  await core?.close('test over');
  core = null;
});


async function coreWithFinishedJob(): Promise<{ dataDir: string; jobId: string; traceId: string }> {
  const dataDir = makeTempDir('hsk-otlp-channel-');
  core = await openCore({ dataDir, host: 'browser', version: 'test', modelRuntime: 'mock' });
  const job = await core.handlers['jobs.create']({ job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', job_inputs: { doc_id: '00000000-0000-4000-8000-0000000000d0', text: 'Quarterly numbers.' } });
  await jobFinished(core, job.job_id);
  return { dataDir, jobId: job.job_id, traceId: job.trace_id };
}

describe('traces.export_otlp', () => {
  it('writes the job, its trace, or a time range under <data-dir>/exports as OTLP JSON Lines', async () => {
    const { dataDir, jobId, traceId } = await coreWithFinishedJob();
    const router = createRouter(core!.handlers);
    const byJob = (await router.call('traces.export_otlp', { job_id: jobId })) as Envelope<{ path: string; span_count: number; job_count: number }>;
    expect(byJob).toMatchObject({ ok: true, data: { path: path.join(dataDir, 'exports', `job-${jobId}.otlp.jsonl`), job_count: 1, span_count: 4 } });
    const { message, problems } = decodeTracesDataJson(fs.readFileSync(path.join(dataDir, 'exports', `job-${jobId}.otlp.jsonl`), 'utf8').trim());
    expect(problems).toEqual([]);
    expect(traceProblems(spansOf(message))).toEqual([]);

    expect(await router.call('traces.export_otlp', { trace_id: traceId })).toMatchObject({ ok: true, data: { job_count: 1 } });
    const range = await router.call('traces.export_otlp', { from: '2000-01-01T00:00:00Z', to: new Date(Date.now() + 60_000).toISOString() });
    expect(range).toMatchObject({ ok: true, data: { job_count: 1, trace_count: 1 } });
  });

  it('refuses no scope, two scopes or half a range with HSK-400, and writes nothing', async () => {
    const { dataDir, jobId, traceId } = await coreWithFinishedJob();
    const router = createRouter(core!.handlers);
    for (const input of [{}, { job_id: jobId, trace_id: traceId }, { from: '2026-01-01T00:00:00Z' }, { job_id: jobId, to: '2026-01-01T00:00:00Z' }]) {
      const envelope = await router.call('traces.export_otlp', input);
      expect(envelope, JSON.stringify(input)).toMatchObject({ ok: false, error: { code: 'HSK-400-INVALID-INPUT' } });
    }
    expect(fs.existsSync(path.join(dataDir, 'exports'))).toBe(false);
  });
});
