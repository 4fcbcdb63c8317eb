/**
 * A host killed with SIGKILL during a long terminal_exec run: its command (`sleep 300`) outlives
 * it, re-parented to init. At the next start, recovery ends that orphan first (process_recovery
 * names its pid), then marks the run and job stalled with a workflow_recovery event, and an
 * operator's resume runs the job again as a new attempt that completes.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore } from '../core/open-core';
import type { HandshakeCore } from '../core/types';

const fixture = path.join(import.meta.dirname, 'kill9-host.fixture.ts');
let dataDir = '';
let core: HandshakeCore | null = null;

afterEach(async () => {
  await core?.close('test over');
  core = null;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Milestone poll: the host's command was recorded and has replaced its start gate (it runs `sleep`). */
async function waitForRecordedCommand(dbPath: string): Promise<void> {
  for (;;) {
    if (fs.existsSync(dbPath)) {
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        const row = db.prepare('SELECT pid FROM executor_processes WHERE ended_at IS NULL').get() as { pid: number } | undefined;
        if (row && fs.readFileSync(`/proc/${row.pid}/comm`, 'utf8').trim() === 'sleep') return;
      } catch {
        // Schema not created yet, or the process not started yet.
      } finally {
        db.close();
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The pids of the killed host's orphans, found by the job id in their environment. */
function orphansOf(jobId: string): number[] {
  return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((pid) => {
    try {
      const environ = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
      const state = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
      return environ.includes(`HSK_JOB_ID=${jobId}`) && state !== 'Z' ? [Number(pid)] : [];
    } catch {
      return [];
    }
  });
}

/** Starts a host on the data dir, waits until its command runs, kills it; returns the job and its orphans. */
async function killHostDuringCommand(extraArgs: string[] = []): Promise<{ jobId: string; orphans: number[] }> {
  const host = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir, ...extraArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => host.once('exit', resolve));
  let stdout = '';
  host.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  await waitForRecordedCommand(path.join(dataDir, 'handshake.db'));
  host.kill('SIGKILL');
  await exited;
  const jobId = (JSON.parse(stdout.trim().split('\n')[0]!) as { job_id: string }).job_id;
  return { jobId, orphans: orphansOf(jobId) };
}

/** The next start. Recovery's clock is 31 s ahead, so the dead host's fresh heartbeat already counts as stale. */
async function restart(): Promise<HandshakeCore> {
  core = await openCore(
    { dataDir, host: 'browser', version: 'test', modelRuntime: 'none' },
    { recoveryClock: { now: () => Date.now() + 31_000, wait: async () => undefined } },
  );
  await core.recoveryDone;
  return core;
}

/** An operator's resume, awaited until the job completes; returns the job as resumed (queued). */
async function resumeToCompletion(target: HandshakeCore, jobId: string) {
  const completed = new Promise<void>((resolve) => {
    target.subscribe((message) => {
      if (message.name !== 'job.changed') return;
      const { job } = message.payload as { job: { job_id: string; state: string } };
      if (job.job_id === jobId && job.state === 'completed') resolve();
    });
  });
  const resumed = await target.handlers['jobs.resume']({ job_id: jobId });
  await completed;
  return resumed;
}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-kill9-'));
});

describe('kill -9 during a long terminal_exec run', () => {
  it('ends the orphaned command, recovers the run as stalled at the next start, and resume completes it as attempt 2', async () => {
    const { jobId, orphans } = await killHostDuringCommand();
    expect(orphans).toHaveLength(1);

    const started = await restart();
    expect(orphansOf(jobId)).toEqual([]);
    const { items: ended } = await started.handlers['events.list']({ job_id: jobId, type: ['process_recovery'] });
    expect(ended.map((event) => [event.payload.pid, event.payload.action])).toEqual([[orphans[0], 'terminated']]);
    expect(ended[0]!.seq).toBeLessThan((await started.handlers['events.list']({ job_id: jobId, type: ['workflow_recovery'] })).items[0]!.seq);
    const stalled = await started.handlers['jobs.get']({ job_id: jobId });
    expect(stalled.state).toBe('stalled');
    expect(stalled.status_reason).toBe('heartbeat_timeout_after_crash');
    expect(stalled.error_message).toMatch(/No heartbeat/);
    const { items: runs } = await started.handlers['runs.list']({ job_id: jobId });
    expect(runs.map((r) => [r.attempt, r.status])).toEqual([[1, 'stalled']]);
    const { items: recovery } = await started.handlers['events.list']({ job_id: jobId, type: ['workflow_recovery'] });
    expect(recovery).toHaveLength(1);
    expect(recovery[0]).toMatchObject({ actor: 'system', workflow_run_id: runs[0]!.workflow_run_id });
    expect(recovery[0]!.payload).toMatchObject({ from_state: 'running', to_state: 'stalled', threshold_secs: 30 });

    const resumed = await resumeToCompletion(started, jobId);
    // The stall's explanation is gone once the job runs again.
    expect(resumed).toMatchObject({ state: 'queued', error_message: null });
    const after = await started.handlers['runs.list']({ job_id: jobId });
    expect(after.items.map((r) => [r.attempt, r.status])).toEqual([
      [1, 'stalled'],
      [2, 'completed'],
    ]);
    expect((await started.handlers['jobs.get']({ job_id: jobId })).workflow_run_id).toBe(after.items[1]!.workflow_run_id);
  });
});

describe('kill -9 during a multi-step workflow_run', () => {
  it('resumes from the step that did not complete, reusing the completed step instead of repeating its side effect', async () => {
    const log = path.join(dataDir, 'side-effects.log');
    const { jobId, orphans } = await killHostDuringCommand([log]);
    expect(orphans).toHaveLength(1);
    expect(fs.readFileSync(log, 'utf8')).toBe('one\n');

    const started = await restart();
    expect(orphansOf(jobId)).toEqual([]);
    await resumeToCompletion(started, jobId);

    expect(fs.readFileSync(log, 'utf8')).toBe('one\nthree\n');
    const { items: runs } = await started.handlers['runs.list']({ job_id: jobId });
    expect(runs.map((run) => [run.attempt, run.status])).toEqual([
      [1, 'stalled'],
      [2, 'completed'],
    ]);
    const [first, second] = runs;
    expect(second!.nodes.map((node) => [node.node_id, node.status, node.status_reason])).toEqual([
      ['step-1-terminal_exec', 'completed', 'reused_from_attempt_1'],
      ['step-2-terminal_exec', 'completed', 'exit_zero'],
      ['step-3-terminal_exec', 'completed', 'exit_zero'],
    ]);
    expect(second!.nodes[0]!.output_payload).toEqual(first!.nodes[0]!.output_payload);
    const { items: reused } = await started.handlers['events.list']({ job_id: jobId, type: ['workflow_node_reused'] });
    expect(reused.map((event) => event.payload)).toEqual([
      {
        node_execution_id: second!.nodes[0]!.node_execution_id,
        node_id: 'step-1-terminal_exec',
        sequence: 0,
        from_node_execution_id: first!.nodes[0]!.node_execution_id,
        from_workflow_run_id: first!.workflow_run_id,
      },
    ]);
    const outputs = (await started.handlers['jobs.get']({ job_id: jobId })).job_outputs as { steps: Array<{ reason: string }> };
    expect(outputs.steps.map((step) => step.reason)).toEqual(['reused_from_attempt_1', 'exit_zero', 'exit_zero']);
  });
});
