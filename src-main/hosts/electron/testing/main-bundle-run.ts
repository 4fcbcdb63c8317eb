/**
 * Runs the built main bundle (out/main/index.js) in a child Node process with `electron` replaced
 * by the recording stand-in, and drives it: commands go over the child's IPC channel, every call
 * the bundle makes comes back as a record. Tests wait for records (milestones), never for time.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../shared/renderer-build';
import type { StandInRecord } from './electron-stand-in';

export const MAIN_BUNDLE = join(PROJECT_ROOT, 'out/main/index.js');
const REGISTER_STAND_IN = join(import.meta.dirname, 'register-stand-in.ts');

export interface MainBundleOptions {
  /** App arguments after the bundle path, e.g. ['--data-dir', dir]. */
  args?: string[];
  /** What app.getPath('userData') answers. */
  userData?: string;
  /** better-sqlite3 fails to load with this message. */
  brokenNativeModule?: string;
  /** requestSingleInstanceLock() answers false: another instance runs. */
  secondInstance?: boolean;
}

type Message =
  | { type: 'record'; record: StandInRecord }
  | { type: 'reply'; id: number; value?: unknown; error?: string }
  | { type: 'exit'; code: number };

interface Waiter {
  matches(record: StandInRecord): boolean;
  resolve(record: StandInRecord): void;
  reject(error: Error): void;
}

function standInEnv(options: MainBundleOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.HANDSHAKE_DATA_DIR;
  delete env.NODE_OPTIONS;
  if (options.userData) env.STAND_IN_USER_DATA = options.userData;
  if (options.brokenNativeModule) env.STAND_IN_BROKEN_NATIVE_MODULE = options.brokenNativeModule;
  if (options.secondInstance) env.STAND_IN_SECOND_INSTANCE = '1';
  return env;
}

export class MainBundleRun {
  readonly records: StandInRecord[] = [];
  /** Resolves with the exit code once the child has ended. */
  readonly exited: Promise<number | null>;
  stderr = '';
  private readonly child: ChildProcess;
  private readonly replies = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private readonly waiters = new Set<Waiter>();
  private nextId = 1;
  private gone = false;

  constructor(options: MainBundleOptions = {}) {
    this.child = fork(MAIN_BUNDLE, options.args ?? [], {
      execArgv: ['--disable-warning=ExperimentalWarning', '--import', REGISTER_STAND_IN],
      env: standInEnv(options),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.on('message', (message: Message) => this.receive(message));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        this.gone = true;
        const error = new Error(`the main bundle exited (${code}) first; stderr:\n${this.stderr}`);
        for (const waiter of this.waiters) waiter.reject(error);
        for (const reply of this.replies.values()) reply.reject(error);
        resolve(code);
      });
    });
  }

  private receive(message: Message): void {
    if (message.type === 'record') {
      this.records.push(message.record);
      for (const waiter of [...this.waiters]) {
        if (!waiter.matches(message.record)) continue;
        this.waiters.delete(waiter);
        waiter.resolve(message.record);
      }
    } else if (message.type === 'reply') {
      const reply = this.replies.get(message.id);
      this.replies.delete(message.id);
      if (message.error !== undefined) reply?.reject(new Error(message.error));
      else reply?.resolve(message.value);
    }
  }

  command<T = unknown>(op: string, args: object = {}): Promise<T> {
    if (this.gone) return Promise.reject(new Error(`the main bundle has exited; cannot run ${op}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.replies.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ type: 'command', id, op, args });
    });
  }

  /** The first record (already made or still to come) of `api` that satisfies `matches`. */
  waitForRecord(api: string, matches: (record: StandInRecord) => boolean = () => true): Promise<StandInRecord> {
    const test = (record: StandInRecord) => record.api === api && matches(record);
    const existing = this.records.find(test);
    if (existing) return Promise.resolve(existing);
    if (this.gone) return Promise.reject(new Error(`the main bundle exited without calling ${api}; stderr:\n${this.stderr}`));
    return new Promise((resolve, reject) => this.waiters.add({ matches: test, resolve, reject }));
  }

  callsOf(api: string): StandInRecord[] {
    return this.records.filter((record) => record.api === api);
  }

  async stop(): Promise<void> {
    if (!this.gone) this.child.kill('SIGKILL');
    await this.exited;
  }
}
