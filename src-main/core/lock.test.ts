import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { errorOf } from '../testing/errors';
import { makeTempDir } from '../testing/temp-dir';
import { LOCK_FILE_NAME, acquireDataDirLock, lockOwnerPid } from './lock';

const fixture = path.join(import.meta.dirname, 'lock-holder.fixture.ts');
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

interface HostAnswer {
  ok: boolean;
  pid: number;
  code?: string;
  message?: string;
}

/** Starts a host process on `dataDir`; resolves with its first line (whether it got the lock). */
function startHost(dataDir: string): { child: ChildProcess; answer: Promise<HostAnswer> } {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const answer = new Promise<HostAnswer>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(JSON.parse(line) as HostAnswer);
    });
    child.once('exit', (code) => reject(new Error(`host exited (${code}) before answering`)));
  });
  return { child, answer };
}

/** A lock file as a crashed owner leaves it: its header names `pid`, nobody holds its lock. */
function abandonedLock(dir: string, pid: number): void {
  const db = new Database(path.join(dir, LOCK_FILE_NAME));
  db.pragma(`user_version = ${pid}`);
  db.close();
}

describe('data dir lock', () => {
  it('holds an exclusive lock whose file names this process as the owner', () => {
    const dir = makeTempDir();
    const lock = acquireDataDirLock(dir);
    expect(lock.path).toBe(path.join(dir, LOCK_FILE_NAME));
    expect(lockOwnerPid(lock.path)).toBe(process.pid);
    lock.release();
  });

  it('refuses a second acquire in the same process with HSK-409-DATA-DIR-LOCKED', () => {
    const dir = makeTempDir();
    const lock = acquireDataDirLock(dir);
    const error = errorOf(() => acquireDataDirLock(dir, 0));
    expect(error.code).toBe('HSK-409-DATA-DIR-LOCKED');
    expect(error.message).toContain(dir);
    expect(error.message).toMatch(/already open in this process/);
    lock.release();
  });

  it('is not fooled by a reused pid: a lock naming a live process that does not hold it is taken', () => {
    const dir = makeTempDir();
    // The parent (the test runner) is alive, as a reused pid after a reboot would be.
    abandonedLock(dir, process.ppid);
    const lock = acquireDataDirLock(dir);
    expect(lockOwnerPid(lock.path)).toBe(process.pid);
    lock.release();
  });

  it('replaces a lock file in the old text format (a pid), which nobody can hold', () => {
    const dir = makeTempDir();
    fs.writeFileSync(path.join(dir, LOCK_FILE_NAME), `${process.ppid}\n`);
    const lock = acquireDataDirLock(dir);
    expect(lockOwnerPid(lock.path)).toBe(process.pid);
    lock.release();
  });

  it('can be taken again after release, and release twice is harmless', () => {
    const dir = makeTempDir();
    const lock = acquireDataDirLock(dir);
    lock.release();
    lock.release();
    acquireDataDirLock(dir).release();
  });

  it('creates the data dir if it does not exist', () => {
    const dir = path.join(makeTempDir(), 'nested', 'data');
    acquireDataDirLock(dir).release();
    expect(fs.existsSync(dir)).toBe(true);
  });

  it('refuses a dir another live host owns, naming its pid', async () => {
    const dir = makeTempDir();
    const owner = startHost(dir);
    const { pid } = await owner.answer;
    const error = errorOf(() => acquireDataDirLock(dir, 0));
    expect(error.code).toBe('HSK-409-DATA-DIR-LOCKED');
    expect(error.message).toContain(`pid ${pid}`);
    expect(error.message).toMatch(/in use by another Handshake Jobs process/);
  });

  it('starts at once after the owner is killed with SIGKILL: the kernel released the lock', async () => {
    const dir = makeTempDir();
    const owner = startHost(dir);
    expect((await owner.answer).ok).toBe(true);
    owner.child.kill('SIGKILL');
    // No wait for the exit: a restart right away may meet a dying owner, and waits for it briefly.
    const lock = acquireDataDirLock(dir);
    expect(lockOwnerPid(lock.path)).toBe(process.pid);
    lock.release();
  });

  it('lets exactly one of two hosts started at the same moment win; the other is refused clearly', async () => {
    const dir = makeTempDir();
    const answers = await Promise.all([startHost(dir).answer, startHost(dir).answer]);
    const winners = answers.filter((answer) => answer.ok);
    const losers = answers.filter((answer) => !answer.ok);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0]).toMatchObject({ code: 'HSK-409-DATA-DIR-LOCKED' });
    expect(losers[0]!.message).toContain(`in use by another Handshake Jobs process (pid ${winners[0]!.pid})`);
  });
});
