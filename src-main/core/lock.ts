/**
 * One process owns a data dir at a time. The lock is an exclusive SQLite lock on a small database
 * of its own (`handshake.lock`), held open for the life of the process: the operating system
 * releases it when the owner exits or dies, so a crash never leaves a lock behind and a reused
 * pid is never mistaken for the owner. The owner writes its pid into the file's header
 * (user_version), which a refused process can read from the bytes without any lock.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { ERROR_CODES, HskError } from '../../src-shared/errors';
import { isBusyError } from '../db/sqlite-errors';

export const LOCK_FILE_NAME = 'handshake.lock';

/** How long a start waits for an owner that is still exiting (a restart just after kill -9). */
export const LOCK_WAIT_MS = 2_000;
/** Where SQLite keeps user_version in its 100-byte header (big-endian, 4 bytes). */
const USER_VERSION_OFFSET = 60;

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/** The pid the owner wrote into the lock file's header, or null when there is none. */
export function lockOwnerPid(lockPath: string): number | null {
  let fd: number | null = null;
  try {
    fd = fs.openSync(lockPath, 'r');
    const header = Buffer.alloc(4);
    if (fs.readSync(fd, header, 0, 4, USER_VERSION_OFFSET) < 4) return null;
    const pid = header.readUInt32BE(0);
    return pid > 0 ? pid : null;
  } catch {
    return null;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

function isNotADatabase(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'SQLITE_NOTADB';
}

function lockedError(dataDir: string, lockPath: string): HskError {
  const pid = lockOwnerPid(lockPath);
  if (pid === process.pid) {
    return new HskError(ERROR_CODES.dataDirLocked, `The data dir ${dataDir} is already open in this process.`, {
      pid,
      data_dir: dataDir,
    });
  }
  const owner = pid === null ? 'another Handshake Jobs process' : `another Handshake Jobs process (pid ${pid})`;
  return new HskError(
    ERROR_CODES.dataDirLocked,
    `The data dir ${dataDir} is in use by ${owner}. Close it first, or choose another --data-dir.`,
    { pid, data_dir: dataDir },
  );
}

/** Opens the lock database and takes its exclusive lock; the write keeps it until close. */
function takeExclusiveLock(lockPath: string, waitMs: number): Database.Database {
  const db = new Database(lockPath, { timeout: waitMs });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = MEMORY');
    db.pragma(`user_version = ${process.pid}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Lock files this process holds: a second open here is refused at once, without waiting. */
const heldHere = new Set<string>();

export function acquireDataDirLock(dataDir: string, waitMs: number = LOCK_WAIT_MS): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE_NAME);
  if (heldHere.has(fs.realpathSync(dataDir))) throw lockedError(dataDir, lockPath);
  let db: Database.Database;
  try {
    db = takeExclusiveLock(lockPath, waitMs);
  } catch (error) {
    if (isBusyError(error)) throw lockedError(dataDir, lockPath);
    if (!isNotADatabase(error)) throw error;
    // A pid-in-a-text-file lock from an older version: nobody holds it, so it is replaced.
    fs.rmSync(lockPath, { force: true });
    db = takeExclusiveLock(lockPath, waitMs);
  }
  const key = fs.realpathSync(dataDir);
  heldHere.add(key);
  return {
    path: lockPath,
    release() {
      // Closing the connection drops the lock; the file stays, so no one races to recreate it.
      if (!db.open) return;
      db.close();
      heldHere.delete(key);
    },
  };
}
