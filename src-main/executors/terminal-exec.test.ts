import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dbOf } from '../testing/store';
import { drain, makeRig, type TestRig } from '../testing/workflows';
import { INLINE_HEAD_BYTES } from './terminal-exec';
import { OPERATOR_CONSENT_TTL_MS, operatorConsent } from '../capabilities/consent';
import { PENDING_CONSENT } from '../store/jobs';

let rig: TestRig;
afterEach(async () => {
  await rig.close();
});

const exec = (argv: string[], extra: Record<string, unknown> = {}, access: 'apply_scoped' | 'preview_only' = 'apply_scoped') => ({
  job_kind: 'terminal_exec',
  protocol_id: 'hsk.terminal.exec.v0',
  access_mode: access,
  job_inputs: { argv, ...extra },
});

/** Running: the process exists and is not a zombie (PID 1 in a container may never reap it). */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Waits for the kernel to deliver SIGKILL: a milestone of the OS, polled a bounded number of times. */
async function waitUntilGone(pid: number): Promise<void> {
  for (let poll = 0; poll < 200 && isRunning(pid); poll += 1) await new Promise((resolve) => setTimeout(resolve, 10));
}

function terminalEvent(jobId: string) {
  return rig.store.listEvents({ job_id: jobId, type: ['terminal_command'], limit: 5 }).items[0];
}

describe('terminal_exec executor', () => {
  it('runs argv without a shell and records exit code, sizes and refs, with the output in files', async () => {
    rig = makeRig();
    const job = rig.submit(exec(['echo', 'hello; $(whoami)']));
    await drain(rig.engine);
    const done = rig.store.getJob(job.job_id);
    expect(done.state).toBe('completed');
    const outputs = done.job_outputs as Record<string, unknown>;
    // No shell: the metacharacters arrive as literal text.
    expect(outputs.stdout_head).toBe('hello; $(whoami)\n');
    expect(outputs).toMatchObject({ exit_code: 0, stdout_bytes: 17, timed_out: false, cancelled: false });
    expect(fs.readFileSync(path.join(rig.dataDir, String(outputs.stdout_ref)), 'utf8')).toBe('hello; $(whoami)\n');
    expect(terminalEvent(job.job_id)?.payload).toMatchObject({ command: 'echo', exit_code: 0, stdout_ref: outputs.stdout_ref });
    // The event carries refs and sizes, never the output itself (FR-EVT-001).
    expect(Object.keys(terminalEvent(job.job_id)?.payload ?? {})).not.toContain('stdout_head');
  });

  it('keeps only a bounded head inline and the full output on disk', async () => {
    rig = makeRig();
    const job = rig.submit(exec(['seq', '1', '20000']));
    await drain(rig.engine);
    const outputs = rig.store.getJob(job.job_id).job_outputs as Record<string, number | string>;
    expect(String(outputs.stdout_head).length).toBe(INLINE_HEAD_BYTES);
    expect(outputs.stdout_bytes).toBeGreaterThan(100_000);
    expect(outputs.truncated_bytes).toBe(Number(outputs.stdout_bytes) - INLINE_HEAD_BYTES);
    expect(fs.statSync(path.join(rig.dataDir, String(outputs.stdout_ref))).size).toBe(outputs.stdout_bytes);
  });

  it('fails with exit_nonzero and keeps the exit code and stderr head', async () => {
    rig = makeRig();
    const job = rig.submit(exec(['sh', '-c', 'echo broken >&2; exit 3']));
    await drain(rig.engine);
    const failed = rig.store.getJob(job.job_id);
    expect(failed.state).toBe('failed');
    expect(failed.status_reason).toBe('exit_nonzero');
    expect(failed.error_message).toMatch(/exited with code 3/);
    expect(failed.job_outputs).toMatchObject({ exit_code: 3, stderr_head: 'broken\n' });
    expect(terminalEvent(job.job_id)?.payload).toMatchObject({ exit_code: 3 });
  });

  it('fails with command_not_found for a program that does not exist', async () => {
    rig = makeRig();
    const job = rig.submit(exec(['definitely-not-a-command-hsk']));
    await drain(rig.engine);
    expect(rig.store.getJob(job.job_id).status_reason).toBe('command_not_found');
  });

  it('kills the process group when timeout_ms passes and fails the job with reason timeout', async () => {
    rig = makeRig();
    const job = rig.submit(exec(['sh', '-c', 'sleep 30; echo late'], { timeout_ms: 150 }));
    await drain(rig.engine);
    const failed = rig.store.getJob(job.job_id);
    expect(failed.status_reason).toBe('timeout');
    expect(terminalEvent(job.job_id)?.payload).toMatchObject({ timed_out: true });
  });

  it('on timeout also kills a child that ignores SIGTERM and outlives the command', async () => {
    rig = makeRig();
    const pidFile = path.join(rig.dataDir, 'grandchild.pid');
    const script = `(trap "" TERM; exec sleep 30) >/dev/null 2>&1 & echo $! > "${pidFile}"; exec sleep 30`;
    const job = rig.submit(exec(['sh', '-c', script], { timeout_ms: 300 }));
    await drain(rig.engine);
    expect(rig.store.getJob(job.job_id).status_reason).toBe('timeout');
    const grandchild = Number(fs.readFileSync(pidFile, 'utf8').trim());
    await waitUntilGone(grandchild);
    expect(isRunning(grandchild)).toBe(false);
  });

  it('stores the inline output heads redacted and keeps the raw output in the referenced file', async () => {
    rig = makeRig();
    const job = rig.submit(exec(['echo', 'password=hunter22', 'sk-abcdefghijklmnopqrstuvwx']));
    await drain(rig.engine);
    const outputs = rig.store.getJob(job.job_id).job_outputs as { stdout_head: string; stdout_ref: string };
    expect(outputs.stdout_head).not.toContain('hunter22');
    expect(outputs.stdout_head).toContain('[REDACTED:secret_api_key:openai_style_key]');
    const raw = fs.readFileSync(path.join(rig.dataDir, outputs.stdout_ref), 'utf8');
    expect(raw).toContain('password=hunter22');
  });

  it('is cancelled promptly through its abort signal', async () => {
    rig = makeRig();
    const job = rig.submit(exec(['sleep', '30']));
    const started = rig.engine.waitFor((m) => m.type === 'run_started');
    rig.engine.start();
    await started;
    expect((await rig.engine.cancel(job.job_id, 'stop it')).state).toBe('cancelled');
    expect(terminalEvent(job.job_id)?.payload).toMatchObject({ cancelled: true, exit_code: null });
  });

  it('passes only allow-listed host variables, the explicit env, and the job identity', async () => {
    process.env.HSK_TEST_HOST_SECRET = 'should-not-leak';
    try {
      rig = makeRig();
      const job = rig.submit(exec(['env'], { env: { GREETING: 'hi' } }));
      await drain(rig.engine);
      // The full output file: the inline head is redacted, and redaction masks NAME_X=value lines.
      const outputs = rig.store.getJob(job.job_id).job_outputs as Record<string, unknown>;
      const stdout = fs.readFileSync(path.join(rig.dataDir, String(outputs.stdout_ref)), 'utf8');
      expect(String(outputs.stdout_head)).toContain('[REDACTED:env_var:env_assignment]');
      expect(stdout).toContain('GREETING=hi');
      expect(stdout).toContain(`HSK_JOB_ID=${job.job_id}`);
      expect(stdout).toContain('HSK_ATTEMPT=1');
      expect(stdout).not.toContain('should-not-leak');
    } finally {
      delete process.env.HSK_TEST_HOST_SECRET;
    }
  });

  it('refuses loader variables such as LD_PRELOAD in env at submission, and again in the executor', async () => {
    rig = makeRig();
    expect(() => rig.submit(exec(['true'], { env: { LD_PRELOAD: '/tmp/x.so' } }))).toThrow(/job_inputs\.env: env may not set loader variables/);
    // A row that bypassed the submission schema (hand-written or older) is still refused before running.
    const job = rig.store.createJob(
      { job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['true'], env: { LD_PRELOAD: '/tmp/x.so' } } },
      { capabilityProfileId: 'Coder' },
    );
    await drain(rig.engine);
    expect(rig.store.getJob(job.job_id).status_reason).toBe('invalid_inputs');
    expect(rig.store.listRuns(job.job_id)).toHaveLength(0);
  });

  it('fails with capability_denied before its node runs when the access mode is not apply_scoped, starting no process', async () => {
    rig = makeRig();
    const marker = path.join(rig.dataDir, 'ran.txt');
    const job = rig.submit(exec(['touch', marker], {}, 'preview_only'));
    await drain(rig.engine);
    const failed = rig.store.getJob(job.job_id);
    expect(failed.status_reason).toBe('capability_denied');
    expect(failed.error_message).toMatch(/kind\.terminal_exec\.requires_apply_scoped/);
    expect(fs.existsSync(marker)).toBe(false);
    // The only decision is the deny, naming the capability and the rule: never an allow for it.
    const decisions = rig.store.listEvents({ job_id: job.job_id, type: ['capability_action'], limit: 10 }).items.map((e) => e.payload);
    expect(decisions).toEqual([expect.objectContaining({ capability_id: 'terminal.exec', decision_outcome: 'deny', rule: 'kind.terminal_exec.requires_apply_scoped' })]);
    expect(rig.store.listEvents({ job_id: job.job_id, type: ['terminal_command'], limit: 5 }).items).toEqual([]);
  });

  it('waits in awaiting_user without consent, never starting a process, and runs once the consent is recorded', async () => {
    rig = makeRig();
    const marker = path.join(rig.dataDir, 'ran.txt');
    const job = rig.submit(exec(['touch', marker]), { consent: false });
    const held = rig.engine.waitFor((m) => m.type === 'job_held' && m.job_id === job.job_id);
    await drain(rig.engine);
    await held;
    expect(rig.store.getJob(job.job_id)).toMatchObject({ state: 'awaiting_user', status_reason: 'consent_required', consent: { decision: 'pending' } });
    expect(rig.store.listRuns(job.job_id)).toEqual([]);
    expect(fs.existsSync(marker)).toBe(false);
    expect(rig.store.listEvents({ job_id: job.job_id, type: ['terminal_command', 'capability_action'], limit: 5 }).items).toEqual([]);

    rig.store.transitionJob(job.job_id, 'queued', 'operator', 'consent_granted_by_operator', { consent: operatorConsent(Date.now()) });
    await drain(rig.engine);
    expect(rig.store.getJob(job.job_id)).toMatchObject({ state: 'completed', consent: { decision: 'granted', source: 'operator' } });
    expect(fs.existsSync(marker)).toBe(true);
  });

  it('sends a job whose operator consent expired before it started back to awaiting_user', async () => {
    rig = makeRig();
    const job = rig.submit(exec(['true']), { consent: false });
    rig.store.transitionJob(job.job_id, 'awaiting_user', 'policy', 'consent_required', { consent: PENDING_CONSENT });
    rig.store.transitionJob(job.job_id, 'queued', 'operator', 'consent_granted_by_operator', { consent: operatorConsent(Date.now() - OPERATOR_CONSENT_TTL_MS - 1) });
    await drain(rig.engine);
    expect(rig.store.getJob(job.job_id)).toMatchObject({ state: 'awaiting_user', status_reason: 'consent_expired', consent: { decision: 'pending' } });
    expect(rig.store.listRuns(job.job_id)).toEqual([]);
  });

  it('fails with capability_denied, recording the deny decision, when the profile lacks terminal.exec', async () => {
    rig = makeRig();
    const marker = path.join(rig.dataDir, 'ran.txt');
    const job = rig.submit(exec(['touch', marker]), { profile: 'Analyst' });
    await drain(rig.engine);
    expect(rig.store.getJob(job.job_id).status_reason).toBe('capability_denied');
    expect(fs.existsSync(marker)).toBe(false);
    const decisions = rig.store.listEvents({ job_id: job.job_id, type: ['capability_action'], limit: 10 }).items;
    expect(decisions.map((e) => e.payload)).toEqual([
      {
        capability_id: 'terminal.exec',
        actor_id: 'capability_policy',
        job_id: job.job_id,
        decision_outcome: 'deny',
        reason: 'capability profile Analyst does not grant terminal.exec',
        rule: 'profile.Analyst.not_granted',
        checkpoint: 'node',
      },
    ]);
  });

  it('checks a job submitted as term_exec as terminal_exec: Coder profile, terminal.exec allowed', async () => {
    rig = makeRig();
    const job = rig.submit({ ...exec(['true']), job_kind: 'term_exec' });
    expect(job.job_kind).toBe('terminal_exec');
    expect(job.capability_profile_id).toBe('Coder');
    await drain(rig.engine);
    expect(rig.store.getJob(job.job_id).state).toBe('completed');
    const decisions = rig.store.listEvents({ job_id: job.job_id, type: ['capability_action'], order: 'asc', limit: 10 }).items;
    // Before the node, and again before the process starts.
    expect(decisions.map((e) => [e.payload.capability_id, e.payload.decision_outcome, e.payload.checkpoint])).toEqual([
      ['terminal.exec', 'allow', 'node'],
      ['terminal.exec', 'allow', 'process_start'],
    ]);
  });
});

describe('terminal_exec process records', () => {
  it('records the command\'s process group with its kernel start time, and closes the record when it ends', async () => {
    rig = makeRig();
    const job = rig.submit(exec(['sh', '-c', 'exit 0']));
    await drain(rig.engine);
    const rows = dbOf(rig.store).prepare('SELECT * FROM executor_processes').all() as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ workflow_run_id: rig.store.getJob(job.job_id).workflow_run_id, end_reason: 'exit 0' });
    expect(rows[0]!.pgid).toBe(rows[0]!.pid);
    expect(rows[0]!.start_ticks).toEqual(expect.any(Number));
    expect(rows[0]!.ended_at).toEqual(expect.any(Number));
  });
});
