/**
 * One process owns a data dir at a time. The lock file holds the owner's pid; a lock left by a
 * process that no longer exists (a crash) is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ERROR_CODES, HskError } from '../../src-shared/errors';

export const LOCK_FILE_NAME = 'handshake.lock';

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerPid(lockPath: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(lockPath, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE_NAME);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(lockPath, `${process.pid}\n`, { flag: 'wx' });
      let released = false;
      return {
        path: lockPath,
        release() {
          if (released) return;
          released = true;
          if (ownerPid(lockPath) === process.pid) fs.rmSync(lockPath, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = ownerPid(lockPath);
      if (pid !== null && pid !== process.pid && processIsAlive(pid)) {
        throw new HskError(
          ERROR_CODES.dataDirLocked,
          `The data dir ${dataDir} is in use by another Handshake Jobs process (pid ${pid}). Close it first, or choose another --data-dir.`,
          { pid, data_dir: dataDir },
        );
      }
      if (pid === process.pid) {
        throw new HskError(ERROR_CODES.dataDirLocked, `The data dir ${dataDir} is already open in this process.`, {
          pid,
          data_dir: dataDir,
        });
      }
      // The owner is gone (crashed): take the lock over.
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new HskError(ERROR_CODES.dataDirLocked, `Could not lock the data dir ${dataDir}.`, { data_dir: dataDir });
}
