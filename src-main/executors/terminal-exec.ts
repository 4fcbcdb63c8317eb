/**
 * terminal_exec: runs one command from an argv array, never through a shell, with an env
 * allow-list. Output goes to files under the job's artifact dir; only a short head is inlined.
 * Emits the spec's terminal_command event (FR-EVT-001) with sizes and refs, never the output.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TerminalInputsSchema, type TerminalInputs } from '../../src-shared/job-inputs';
import { Redactor } from '../security/redact';
import { artifactDir, dataRef } from './artifacts';
import { capturedOutputFile } from './terminal-output';
import { bootId, processStart, resolveExecutable, signalGroup } from './processes';
import {
  abortWhy,
  ExecutorFailure,
  invalidInputs,
  type ExecutorContext,
  type ExecutorEntry,
  type ExecutorResult,
} from './types';

export const TERMINAL_DEFAULT_TIMEOUT_MS = 60_000;
/** Bytes of each stream kept inline in job_outputs. */
export const INLINE_HEAD_BYTES = 2_000;
/** Bytes of each stream kept on disk; the rest is counted as truncated. */
const MAX_CAPTURE_BYTES = 16 * 1024 * 1024;
/** After SIGTERM, how long a process group gets before SIGKILL. */
const KILL_GRACE_MS = 1_000;

/** Inherited from the host only if listed: a command never sees the app's secrets by accident. */
const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'USER', 'LOGNAME', 'SYSTEMROOT', 'PATHEXT'];
/** The allow-listed host variables, the job's own, and the job's identity (HSK_*). */
export function buildEnv(extra: Record<string, string> | undefined, ctx: ExecutorContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of INHERITED_ENV) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return {
    ...env,
    ...extra,
    HSK_JOB_ID: ctx.job.job_id,
    HSK_WORKFLOW_RUN_ID: ctx.runId,
    HSK_ATTEMPT: String(ctx.attempt),
  };
}

interface Capture {
  file: string;
  bytes: number;
  head: Buffer;
  done: Promise<void>;
}

function capture(stream: NodeJS.ReadableStream, file: string): Capture {
  const out = fs.createWriteStream(file);
  const state: Capture = { file, bytes: 0, head: Buffer.alloc(0), done: Promise.resolve() };
  state.done = new Promise((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  stream.on('data', (chunk: Buffer) => {
    if (state.head.length < INLINE_HEAD_BYTES) {
      state.head = Buffer.concat([state.head, chunk.subarray(0, INLINE_HEAD_BYTES - state.head.length)]);
    }
    const room = MAX_CAPTURE_BYTES - state.bytes;
    if (room > 0) out.write(chunk.length <= room ? chunk : chunk.subarray(0, room));
    state.bytes += chunk.length;
  });
  // 'close' also covers a child that never started (spawn error), where 'end' never comes.
  let ended = false;
  const finish = (): void => {
    if (ended) return;
    ended = true;
    out.end();
  };
  stream.on('end', finish);
  stream.on('close', finish);
  return state;
}

interface Outcome {
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  spawnError: NodeJS.ErrnoException | null;
}

interface CommandRun {
  outcome: Outcome;
  stdout: Capture;
  stderr: Capture;
}

/**
 * The command starts behind a fixed gate: `sh` waits for one line on stdin, then execs the
 * command (argv passed as positional parameters, never interpolated). The process group is
 * recorded durably before the gate opens; if the host dies first, the gate reads EOF and the
 * command never runs. After exec, stdin is at EOF, as with no stdin at all.
 */
const GATE_SCRIPT = 'read -r _ && exec "$0" "$@"';

/** No such program: nothing is spawned; the outcome is the ENOENT a spawn would have reported. */
function notFound(command: string, files: { stdout: string; stderr: string }): CommandRun {
  const empty = (file: string): Capture => {
    fs.writeFileSync(file, '');
    return { file, bytes: 0, head: Buffer.alloc(0), done: Promise.resolve() };
  };
  const error: NodeJS.ErrnoException = Object.assign(new Error(`spawn ${command} ENOENT`), { code: 'ENOENT' });
  return { outcome: { exitCode: null, exitSignal: null, spawnError: error }, stdout: empty(files.stdout), stderr: empty(files.stderr) };
}

/** Records the gated child's process group; resolves with the record id once it is durable. */
function recordGroup(pid: number, command: string, ctx: ExecutorContext): Promise<number> {
  return ctx.recordProcess({ pid, pgid: pid, startTicks: processStart(pid)?.startTicks ?? null, bootId: bootId(), command });
}

async function runGated(
  executable: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; files: { stdout: string; stderr: string } },
  ctx: ExecutorContext,
): Promise<CommandRun> {
  const child = spawn('/bin/sh', ['-c', GATE_SCRIPT, executable, ...args], {
    cwd: options.cwd,
    env: options.env,
    shell: false,
    // The child leads its own process group, so signals to -pid also reach its children.
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  // A gate that died (cancelled while recording) makes the write fail with EPIPE: expected.
  child.stdin.on('error', () => undefined);
  const stdout = capture(child.stdout, options.files.stdout);
  const stderr = capture(child.stderr, options.files.stderr);
  const pid = child.pid;
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    if (pid === undefined) return;
    signalGroup(pid, 'SIGTERM');
    killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), KILL_GRACE_MS);
  };
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const exited = new Promise<Outcome>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => resolve({ exitCode: null, exitSignal: null, spawnError: error }));
    child.once('close', (code, signal) => resolve({ exitCode: code, exitSignal: signal, spawnError: null }));
  });
  let processId: number | null = null;
  if (pid !== undefined) {
    try {
      processId = await recordGroup(pid, executable, ctx);
    } catch (error) {
      signalGroup(pid, 'SIGKILL');
      throw error;
    }
    if (!ctx.signal.aborted) child.stdin.end('\n');
  }
  const outcome = await exited;
  ctx.signal.removeEventListener('abort', onAbort);
  clearTimeout(killTimer);
  // The group ends with its command: members that outlived the leader (or ignored SIGTERM after a
  // cancel or timeout) are killed, so nothing the job started keeps running unrecorded.
  if (pid !== undefined) signalGroup(pid, 'SIGKILL');
  if (processId !== null) ctx.endProcess(processId, outcome.exitSignal ? `signal ${outcome.exitSignal}` : `exit ${outcome.exitCode}`);
  if (outcome.spawnError) {
    child.stdout.destroy();
    child.stderr.destroy();
  }
  return { outcome, stdout, stderr };
}

async function runCommand(inputs: TerminalInputs, cwd: string, ctx: ExecutorContext): Promise<ExecutorResult> {
  const dir = artifactDir(ctx.dataDir, ctx.job.job_id);
  const files = {
    stdout: capturedOutputFile(dir, ctx.nodeExecutionId, 'stdout'),
    stderr: capturedOutputFile(dir, ctx.nodeExecutionId, 'stderr'),
  };
  const [command, ...args] = inputs.argv as [string, ...string[]];
  const env = buildEnv(inputs.env, ctx);
  ctx.signal.throwIfAborted();
  // The check before the side effect: no process starts without terminal.exec granted here.
  ctx.authorize({ capability: 'terminal.exec', checkpoint: 'process_start' });
  const started = performance.now();
  const executable = resolveExecutable(command, env.PATH, cwd);
  const { outcome, stdout, stderr } =
    executable === null ? notFound(command, files) : await runGated(executable, args, { cwd, env, files }, ctx);
  await Promise.allSettled([stdout.done, stderr.done]);
  const durationMs = Math.round(performance.now() - started);
  const why = abortWhy(ctx.signal);
  const truncated =
    Math.max(0, stdout.bytes - stdout.head.length) + Math.max(0, stderr.bytes - stderr.head.length);

  const redactor = new Redactor();
  ctx.recordEvent({
    type: 'terminal_command',
    actor: 'agent',
    payload: {
      session_id: ctx.nodeExecutionId,
      command: redactor.redactText(command).slice(0, 4_096),
      args: args.map((arg) => redactor.redactText(arg).slice(0, 4_096)),
      cwd: redactor.redactText(cwd).slice(0, 4_096),
      exit_code: outcome.exitCode,
      duration_ms: durationMs,
      timed_out: why === 'timeout',
      cancelled: why === 'cancel' || why === 'shutdown',
      truncated_bytes: truncated,
      stdout_ref: dataRef(ctx.dataDir, files.stdout),
      stderr_ref: dataRef(ctx.dataDir, files.stderr),
    },
  });

  const outputs = {
    exit_code: outcome.exitCode,
    signal: outcome.exitSignal,
    duration_ms: durationMs,
    timed_out: why === 'timeout',
    cancelled: why === 'cancel' || why === 'shutdown',
    stdout_bytes: stdout.bytes,
    stderr_bytes: stderr.bytes,
    truncated_bytes: truncated,
    // The inline heads are redacted (they are shown and stored with the job); the full output is
    // in the files behind stdout_ref / stderr_ref.
    stdout_head: redactor.redactText(stdout.head.toString('utf8')),
    stderr_head: redactor.redactText(stderr.head.toString('utf8')),
    stdout_ref: dataRef(ctx.dataDir, files.stdout),
    stderr_ref: dataRef(ctx.dataDir, files.stderr),
  };
  if (why) throw ctx.signal.reason;
  if (outcome.spawnError) {
    const reason = outcome.spawnError.code === 'ENOENT' ? 'command_not_found' : 'spawn_failed';
    throw new ExecutorFailure(reason, `could not start ${command}: ${outcome.spawnError.message}`, outputs);
  }
  if (outcome.exitCode !== 0) {
    const how = outcome.exitCode === null ? `was killed by ${outcome.exitSignal}` : `exited with code ${outcome.exitCode}`;
    throw new ExecutorFailure('exit_nonzero', `${command} ${how}`, outputs);
  }
  return { status: 'completed', reason: 'exit_zero', outputs };
}

export const terminalExecExecutor: ExecutorEntry = {
  type: 'node',
  runtimeId: 'executor:terminal_exec',
  prepare(raw) {
    const parsed = TerminalInputsSchema.safeParse(raw);
    if (!parsed.success) throw invalidInputs('terminal_exec', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const inputs = parsed.data;
    return {
      timeoutMs: inputs.timeout_ms ?? TERMINAL_DEFAULT_TIMEOUT_MS,
      async run(ctx) {
        const cwd = path.resolve(inputs.cwd ?? artifactDir(ctx.dataDir, ctx.job.job_id));
        if (!fs.statSync(cwd, { throwIfNoEntry: false })?.isDirectory()) {
          throw new ExecutorFailure('invalid_cwd', `cwd ${inputs.cwd ?? cwd} is not a directory`);
        }
        return runCommand(inputs, cwd, ctx);
      },
    };
  },
};
