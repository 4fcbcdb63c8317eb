import { afterEach, describe, expect, it } from 'vitest';
import type { AiJob } from '../../src-shared/job';
import { openCore } from '../core/open-core';
import type { HandshakeCore } from '../core/types';
import { createRouter } from '../ipc/router';
import { makeTempDir } from '../testing/temp-dir';

let core: HandshakeCore | null = null;
afterEach(async () => {
  await core?.close('test over');
  core = null;
});

async function openIdleCore(): Promise<HandshakeCore> {
  core = await openCore({ dataDir: makeTempDir(), host: 'browser', version: 'test', startEngine: false });
  await core.recoveryDone;
  return core;
}

const DOC_ID = '00000000-0000-4000-8000-0000000000d0';

async function finishedJob(handlers: HandshakeCore['handlers']): Promise<AiJob> {
  const job = await handlers['jobs.create']({
    job_kind: 'doc_summarize',
    protocol_id: 'hsk.docs.summarize.v0',
    access_mode: 'analysis_only',
    entity_refs: [{ entity_kind: 'document', entity_id: 'doc-1' }],
    job_inputs: { doc_id: DOC_ID, text: 'first draft' },
  });
  return handlers['jobs.cancel']({ job_id: job.job_id });
}

describe('jobs.rerun', () => {
  it('clones a finished job into a new queued job in the same trace, linked both ways', async () => {
    const { handlers } = await openIdleCore();
    const original = await finishedJob(handlers);
    const rerun = await handlers['jobs.rerun']({ job_id: original.job_id });
    expect(rerun).toMatchObject({
      state: 'queued',
      job_kind: original.job_kind,
      protocol_id: original.protocol_id,
      access_mode: original.access_mode,
      trace_id: original.trace_id,
      job_inputs: { doc_id: DOC_ID, text: 'first draft' },
    });
    expect(rerun.job_id).not.toBe(original.job_id);
    expect(rerun.entity_refs).toEqual([
      { entity_kind: 'document', entity_id: 'doc-1' },
      { entity_kind: 'ai_job', entity_id: original.job_id, selector: 'rerun_of' },
    ]);
    expect(await handlers['jobs.reruns']({ job_id: rerun.job_id })).toMatchObject({ rerun_of: { job_id: original.job_id, state: 'cancelled' }, reruns: [] });
    expect(await handlers['jobs.reruns']({ job_id: original.job_id })).toMatchObject({ rerun_of: null, reruns: [{ job_id: rerun.job_id, state: 'queued' }] });
    // The original keeps its terminal state: a rerun is a new job, not an exit.
    expect((await handlers['jobs.get']({ job_id: original.job_id })).state).toBe('cancelled');
    const [created] = (await handlers['events.list']({ job_id: rerun.job_id, type: ['job_created'] })).items;
    expect(created?.actor).toBe('human');
  });

  it('takes edited inputs, and a rerun of a rerun names only its direct source', async () => {
    const { handlers } = await openIdleCore();
    const original = await finishedJob(handlers);
    const first = await handlers['jobs.cancel']({ job_id: (await handlers['jobs.rerun']({ job_id: original.job_id })).job_id });
    const second = await handlers['jobs.rerun']({ job_id: first.job_id, job_inputs: { doc_id: DOC_ID, text: 'second draft' } });
    expect(second.job_inputs).toEqual({ doc_id: DOC_ID, text: 'second draft' });
    expect(second.entity_refs.filter((ref) => ref.selector === 'rerun_of')).toEqual([{ entity_kind: 'ai_job', entity_id: first.job_id, selector: 'rerun_of' }]);
    expect((await handlers['jobs.reruns']({ job_id: original.job_id })).reruns.map((ref) => ref.job_id)).toEqual([first.job_id]);
    expect((await handlers['jobs.reruns']({ job_id: first.job_id })).reruns.map((ref) => ref.job_id)).toEqual([second.job_id]);
  });

  it('refuses a job that has not finished, and bad edited inputs, writing nothing', async () => {
    const opened = await openIdleCore();
    const router = createRouter(opened.handlers, { logError: () => {} });
    const queued = await opened.handlers['jobs.create']({ job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', job_inputs: { doc_id: '00000000-0000-4000-8000-0000000000d0', text: 'x' } });
    const before = (await opened.handlers['jobs.count']({})).total;
    expect(await router.call('jobs.rerun', { job_id: queued.job_id })).toMatchObject({ ok: false, error: { code: 'HSK-409-CONFLICT' } });
    const cancelled = await opened.handlers['jobs.cancel']({ job_id: queued.job_id });
    let deep: unknown = 1;
    for (let level = 0; level < 40; level += 1) deep = { a: deep };
    expect(await router.call('jobs.rerun', { job_id: cancelled.job_id, job_inputs: deep })).toMatchObject({ ok: false, error: { code: 'HSK-400-INVALID-INPUT' } });
    expect(await router.call('jobs.rerun', { job_id: '00000000-0000-4000-8000-00000000abcd' })).toMatchObject({ ok: false, error: { code: 'HSK-404-NOT-FOUND' } });
    // Edited inputs are checked like a submission's: a doc_summarize without its doc_id is refused, naming it.
    const unfit = await router.call('jobs.rerun', { job_id: cancelled.job_id, job_inputs: { text: 'no document' } });
    expect(unfit).toMatchObject({ ok: false, error: { code: 'HSK-400-INVALID-INPUT', details: { issues: [{ path: 'job_inputs.doc_id' }] } } });
    expect((await opened.handlers['jobs.count']({})).total).toBe(before);
  });
});
