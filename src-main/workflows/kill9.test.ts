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
import { afterEach, describe, expect, it } from 'vitest';
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

describe('kill -9 during a long terminal_exec run', () => {
  it('ends the orphaned command, recovers the run as stalled at the next start, and resume completes it as attempt 2', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-kill9-'));
    const host = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => host.once('exit', resolve));
    let stdout = '';
    host.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    await waitForRecordedCommand(path.join(dataDir, 'handshake.db'));
    host.kill('SIGKILL');
    await exited;
    const jobId = (JSON.parse(stdout.trim().split('\n')[0]!) as { job_id: string }).job_id;
    const orphans = orphansOf(jobId);
    expect(orphans).toHaveLength(1);

    // Recovery's clock is 31 s ahead, so the dead host's fresh heartbeat already counts as stale.
    core = await openCore(
      { dataDir, host: 'browser', version: 'test', modelRuntime: 'none' },
      { recoveryClock: { now: () => Date.now() + 31_000, wait: async () => undefined } },
    );
    await core.recoveryDone;
    expect(orphansOf(jobId)).toEqual([]);
    const { items: ended } = await core.handlers['events.list']({ job_id: jobId, type: ['process_recovery'] });
    expect(ended.map((event) => [event.payload.pid, event.payload.action])).toEqual([[orphans[0], 'terminated']]);
    expect(ended[0]!.seq).toBeLessThan((await core.handlers['events.list']({ job_id: jobId, type: ['workflow_recovery'] })).items[0]!.seq);
    const stalled = await core.handlers['jobs.get']({ job_id: jobId });
    expect(stalled.state).toBe('stalled');
    expect(stalled.status_reason).toBe('heartbeat_timeout_after_crash');
    const { items: runs } = await core.handlers['runs.list']({ job_id: jobId });
    expect(runs.map((r) => [r.attempt, r.status])).toEqual([[1, 'stalled']]);
    const { items: recovery } = await core.handlers['events.list']({ job_id: jobId, type: ['workflow_recovery'] });
    expect(recovery).toHaveLength(1);
    expect(recovery[0]).toMatchObject({ actor: 'system', workflow_run_id: runs[0]!.workflow_run_id });
    expect(recovery[0]!.payload).toMatchObject({ from_state: 'running', to_state: 'stalled', threshold_secs: 30 });

    const completed = new Promise<void>((resolve) => {
      core!.subscribe((message) => {
        if (message.name !== 'job.changed') return;
        const { job } = message.payload as { job: { job_id: string; state: string } };
        if (job.job_id === jobId && job.state === 'completed') resolve();
      });
    });
    const resumed = await core.handlers['jobs.resume']({ job_id: jobId });
    expect(resumed.state).toBe('queued');
    await completed;
    const after = await core.handlers['runs.list']({ job_id: jobId });
    expect(after.items.map((r) => [r.attempt, r.status])).toEqual([
      [1, 'stalled'],
      [2, 'completed'],
    ]);
    expect((await core.handlers['jobs.get']({ job_id: jobId })).workflow_run_id).toBe(after.items[1]!.workflow_run_id);
  });
});
