/**
 * The job model through the channels, on a real core: the submission checkpoint, consent (the
 * --allow-terminal switch and the operator's), and the operator's accept / reject decisions.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AiJob } from '../../src-shared/job';
import type { Envelope } from '../../src-shared/ipc';
import { createRouter, type Router } from '../ipc/router';
import { makeTempDir } from '../testing/temp-dir';
import { openCore } from './open-core';
import type { CoreOptions, HandshakeCore } from './types';

const open: HandshakeCore[] = [];
afterEach(async () => {
  for (const core of open.splice(0)) await core.close('test finished');
});

async function start(options: Partial<CoreOptions> = {}): Promise<{ core: HandshakeCore; router: Router; dataDir: string }> {
  const dataDir = makeTempDir();
  const core = await openCore({ dataDir, host: 'browser', version: 'test', modelRuntime: 'mock', ...options });
  open.push(core);
  await core.recoveryDone;
  return { core, router: createRouter(core.handlers, { logError: () => {}, onInputRejected: core.onInputRejected }), dataDir };
}

function ok<T>(envelope: Envelope<unknown>): T {
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.data as T;
}

/** Polls the job through the API until it reaches `state` (the engine reports it on its own). */
async function until(router: Router, jobId: string, states: readonly string[]): Promise<AiJob> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const job = ok<AiJob>(await router.call('jobs.get', { job_id: jobId }));
    if (states.includes(job.state)) return job;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`job ${jobId} never reached ${states.join('/')}`);
}

async function events(router: Router, jobId: string, type: string) {
  return ok<{ items: Array<{ actor: string; payload: Record<string, unknown> }> }>(await router.call('events.list', { job_id: jobId, type, order: 'asc' })).items;
}

const command = (dataDir: string) => ({
  job_kind: 'terminal_exec',
  protocol_id: 'hsk.terminal.exec.v0',
  access_mode: 'apply_scoped',
  job_inputs: { argv: ['touch', path.join(dataDir, 'ran.txt')] },
});

describe('jobs.create: the submission checkpoint', () => {
  it('refuses at once a terminal_exec that can never be granted, with a deny naming the capability and rule, and stores no job', async () => {
    const { router, dataDir } = await start({ allowTerminal: true });
    const refused = await router.call('jobs.create', { ...command(dataDir), access_mode: 'preview_only' });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'HSK-403-CAPABILITY', details: { capability_id: 'terminal.exec', rule: 'kind.terminal_exec.requires_apply_scoped' } },
    });
    expect(ok<{ items: unknown[] }>(await router.call('jobs.list', {})).items).toEqual([]);
    const decisions = ok<{ items: Array<{ payload: Record<string, unknown> }> }>(await router.call('events.list', { type: 'capability_action' })).items;
    expect(decisions.map((event) => event.payload)).toEqual([
      expect.objectContaining({ capability_id: 'terminal.exec', decision_outcome: 'deny', job_id: null, checkpoint: 'submission', rule: 'kind.terminal_exec.requires_apply_scoped' }),
    ]);
    expect(fs.existsSync(path.join(dataDir, 'ran.txt'))).toBe(false);
  });

  it('chooses the profile itself and records each allow decision with the new job', async () => {
    const { router, dataDir } = await start({ allowTerminal: true, startEngine: false });
    const job = ok<AiJob>(await router.call('jobs.create', command(dataDir)));
    expect(job).toMatchObject({ capability_profile_id: 'Coder', consent_profile_id: 'hsk.consent.terminal_exec.v0', execution_mode: 'single_step', task_schema_version: '1.0.0' });
    const decisions = await events(router, job.job_id, 'capability_action');
    expect(decisions.map((event) => [event.payload.capability_id, event.payload.decision_outcome, event.payload.checkpoint])).toEqual([['terminal.exec', 'allow', 'submission']]);
  });
});

describe('consent for terminal_exec', () => {
  it('under --allow-terminal records the switch as the consent on the job, and runs it', async () => {
    const { router, dataDir } = await start({ allowTerminal: true });
    const job = ok<AiJob>(await router.call('jobs.create', command(dataDir)));
    expect(job.consent).toMatchObject({ decision: 'granted', source: 'allow_terminal_switch', expires_at: null });
    expect(await until(router, job.job_id, ['completed'])).toMatchObject({ runtime_id: 'executor:terminal_exec' });
    expect(fs.existsSync(path.join(dataDir, 'ran.txt'))).toBe(true);
  });

  it('without it waits in awaiting_user and never starts a process; the operator accepts and it runs, actor human', async () => {
    const { router, dataDir } = await start();
    const job = ok<AiJob>(await router.call('jobs.create', command(dataDir)));
    expect(job.consent.decision).toBe('pending');
    const held = await until(router, job.job_id, ['awaiting_user']);
    expect(held).toMatchObject({ status_reason: 'consent_required', workflow_run_id: null });
    expect(ok<{ items: unknown[] }>(await router.call('runs.list', { job_id: job.job_id })).items).toEqual([]);
    expect(await events(router, job.job_id, 'terminal_command')).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'ran.txt'))).toBe(false);

    const accepted = ok<AiJob>(await router.call('jobs.accept', { job_id: job.job_id }));
    expect(accepted).toMatchObject({ state: 'queued', status_reason: 'consent_granted_by_operator', consent: { decision: 'granted', source: 'operator' } });
    expect(accepted.consent.expires_at).not.toBeNull();
    await until(router, job.job_id, ['completed']);
    expect(fs.existsSync(path.join(dataDir, 'ran.txt'))).toBe(true);
    const moves = await events(router, job.job_id, 'job_state_changed');
    expect(moves.find((event) => event.payload.reason === 'consent_granted_by_operator')).toMatchObject({ actor: 'human', payload: { from_state: 'awaiting_user', to_state: 'queued', cause: 'operator' } });
  });

  it('a rejected consent cancels the job, records the denial, and nothing ever runs', async () => {
    const { router, dataDir } = await start();
    const job = ok<AiJob>(await router.call('jobs.create', command(dataDir)));
    await until(router, job.job_id, ['awaiting_user']);
    const rejected = ok<AiJob>(await router.call('jobs.reject', { job_id: job.job_id, reason: 'not this command' }));
    expect(rejected).toMatchObject({ state: 'cancelled', status_reason: 'not this command', consent: { decision: 'denied', source: 'operator' } });
    expect(fs.existsSync(path.join(dataDir, 'ran.txt'))).toBe(false);
  });
});

describe('jobs.accept / jobs.reject on validated results', () => {
  const rewrite = { job_kind: 'doc_rewrite', protocol_id: 'hsk.docs.rewrite.v0', access_mode: 'apply_scoped', job_inputs: { text: 'Teh report is redy.', doc_id: '00000000-0000-4000-8000-0000000000d0' } };

  it('accepts a proposed change waiting in awaiting_user: completed, with the preview kept, actor human', async () => {
    const { router } = await start();
    const job = ok<AiJob>(await router.call('jobs.create', rewrite));
    const waiting = await until(router, job.job_id, ['awaiting_user']);
    expect((waiting.job_outputs as { output_text: string }).output_text).toMatch(/^\[mock:echo\]/);
    const accepted = ok<AiJob>(await router.call('jobs.accept', { job_id: job.job_id, reason: 'reads well' }));
    expect(accepted).toMatchObject({ state: 'completed', status_reason: 'reads well', job_outputs: waiting.job_outputs });
    expect(accepted.completed_at).not.toBeNull();
    const last = (await events(router, job.job_id, 'job_state_changed')).at(-1);
    expect(last).toMatchObject({ actor: 'human', payload: { from_state: 'awaiting_user', to_state: 'completed', cause: 'operator', reason: 'reads well' } });
  });

  it('rejects a result waiting in awaiting_validation: cancelled', async () => {
    const { router } = await start();
    const job = ok<AiJob>(await router.call('jobs.create', { job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', job_inputs: { text: 'Contact ada@example.com about the Q3 numbers before Friday, and copy the finance team on the reply.', doc_id: '00000000-0000-4000-8000-0000000000d0' } }));
    await until(router, job.job_id, ['awaiting_validation']);
    expect(ok<AiJob>(await router.call('jobs.reject', { job_id: job.job_id }))).toMatchObject({ state: 'cancelled', status_reason: 'rejected_by_operator' });
  });

  it('refuses a decision on a job that is not waiting for one, and writes nothing', async () => {
    const { router } = await start({ startEngine: false });
    const job = ok<AiJob>(await router.call('jobs.create', rewrite));
    const before = ok<{ items: unknown[] }>(await router.call('events.list', { job_id: job.job_id })).items.length;
    for (const channel of ['jobs.accept', 'jobs.reject'] as const) {
      expect(await router.call(channel, { job_id: job.job_id })).toMatchObject({ ok: false, error: { code: 'HSK-409-ILLEGAL-TRANSITION' } });
    }
    expect(ok<AiJob>(await router.call('jobs.get', { job_id: job.job_id })).state).toBe('queued');
    expect(ok<{ items: unknown[] }>(await router.call('events.list', { job_id: job.job_id })).items).toHaveLength(before);
  });
});

describe('system.status: model runtime detection', () => {
  it('says whether the configured runtime is reachable and which models it has, when asked', async () => {
    const { router } = await start();
    const status = ok<{ model_runtime: { reachability: { reachable: boolean | null; models: string[] } }; allow_terminal: boolean }>(
      await router.call('system.status', { check_model_runtime: true }),
    );
    expect(status.model_runtime.reachability).toMatchObject({ reachable: true, models: ['mock:echo'] });
    expect(status.allow_terminal).toBe(false);
  });

  it('reports an unreachable Ollama with how to start it', async () => {
    const { router } = await start({ modelRuntime: 'ollama', ollama: { baseUrl: 'http://127.0.0.1:9' } });
    const status = ok<{ model_runtime: { reachability: { reachable: boolean | null; message: string | null } } }>(
      await router.call('system.status', { check_model_runtime: true }),
    );
    expect(status.model_runtime.reachability).toMatchObject({ reachable: false, message: expect.stringContaining('ollama serve') });
  });
});
