import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorOf } from '../testing/errors';
import { makeTempDir } from '../testing/temp-dir';
import { LOCK_FILE_NAME, acquireDataDirLock } from './lock';


/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('could not spawn');
  return child.pid;
}

describe('data dir lock', () => {
  it('writes a lock file holding this process id', () => {
    const dir = makeTempDir();
    const lock = acquireDataDirLock(dir);
    expect(lock.path).toBe(path.join(dir, LOCK_FILE_NAME));
    expect(fs.readFileSync(lock.path, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('refuses a second acquire on the same dir with HSK-409-DATA-DIR-LOCKED', () => {
    const dir = makeTempDir();
    const lock = acquireDataDirLock(dir);
    const error = errorOf(() => acquireDataDirLock(dir));
    expect(error.code).toBe('HSK-409-DATA-DIR-LOCKED');
    expect(error.message).toContain(dir);
    expect(error.message).toMatch(/already open/);
    lock.release();
  });

  it('refuses a dir locked by another live process, naming its pid', () => {
    const dir = makeTempDir();
    // The parent (the test runner) is alive and is not this process.
    fs.writeFileSync(path.join(dir, LOCK_FILE_NAME), `${process.ppid}\n`);
    const error = errorOf(() => acquireDataDirLock(dir));
    expect(error.code).toBe('HSK-409-DATA-DIR-LOCKED');
    expect(error.message).toContain(`pid ${process.ppid}`);
    expect(error.message).toMatch(/another Handshake Jobs process/);
    expect(fs.readFileSync(path.join(dir, LOCK_FILE_NAME), 'utf8').trim()).toBe(String(process.ppid));
  });

  it('takes over a stale lock whose owner is dead', () => {
    const dir = makeTempDir();
    fs.writeFileSync(path.join(dir, LOCK_FILE_NAME), `${deadPid()}\n`);
    const lock = acquireDataDirLock(dir);
    expect(fs.readFileSync(lock.path, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('takes over a lock file that holds no pid', () => {
    const dir = makeTempDir();
    fs.writeFileSync(path.join(dir, LOCK_FILE_NAME), 'garbage');
    const lock = acquireDataDirLock(dir);
    expect(fs.readFileSync(lock.path, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('removes the file on release, so the dir can be locked again', () => {
    const dir = makeTempDir();
    const lock = acquireDataDirLock(dir);
    lock.release();
    expect(fs.existsSync(lock.path)).toBe(false);
    lock.release();
    acquireDataDirLock(dir).release();
  });

  it('does not remove a lock that another process has taken since', () => {
    const dir = makeTempDir();
    const lock = acquireDataDirLock(dir);
    fs.writeFileSync(lock.path, `${process.ppid}\n`);
    lock.release();
    expect(fs.readFileSync(lock.path, 'utf8').trim()).toBe(String(process.ppid));
  });

  it('creates the data dir if it does not exist', () => {
    const dir = path.join(makeTempDir(), 'nested', 'data');
    acquireDataDirLock(dir).release();
    expect(fs.existsSync(dir)).toBe(true);
  });
});
