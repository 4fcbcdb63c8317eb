/**
 * A host killed with SIGKILL during a long terminal_exec run: at the next start, recovery marks
 * the run and job stalled with a workflow_recovery event, and an operator's resume runs the job
 * again as a new attempt that completes.
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

/** Milestone poll: the host has a running run row in the database. */
async function waitForRunningRun(dbPath: string): Promise<void> {
  for (;;) {
    if (fs.existsSync(dbPath)) {
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        const row = db.prepare("SELECT 1 FROM workflow_runs WHERE status = 'running'").get();
        if (row) return;
      } catch {
        // Schema not created yet.
      } finally {
        db.close();
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The orphaned `sleep` of the killed host is found by the job id in its environment. */
function killOrphans(jobId: string): void {
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/environ`, 'latin1').includes(`HSK_JOB_ID=${jobId}`)) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // Gone or not ours.
    }
  }
}

describe('kill -9 during a long terminal_exec run', () => {
  it('recovers the run as stalled at the next start, and resume completes it as attempt 2', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-kill9-'));
    const host = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => host.once('exit', resolve));
    let stdout = '';
    host.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    await waitForRunningRun(path.join(dataDir, 'handshake.db'));
    host.kill('SIGKILL');
    await exited;
    const jobId = (JSON.parse(stdout.trim().split('\n')[0]!) as { job_id: string }).job_id;
    killOrphans(jobId);

    // Recovery's clock is 31 s ahead, so the dead host's fresh heartbeat already counts as stale.
    core = await openCore(
      { dataDir, host: 'browser', version: 'test', modelRuntime: 'none' },
      { recoveryClock: { now: () => Date.now() + 31_000, wait: async () => undefined } },
    );
    await core.recoveryDone;
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
