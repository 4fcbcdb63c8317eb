/**
 * Work on a large write-ahead log that would otherwise stop the event loop: better-sqlite3 is
 * synchronous, so an fsync or a checkpoint of a WAL of hundreds of megabytes, done on the main
 * thread, is time in which neither host answers. Startup recovery writes such a log.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Below this size a checkpoint or an fsync of the log takes a few milliseconds and runs in place. */
export const LARGE_WAL_BYTES = 8 * 1024 * 1024;

export function walPath(databaseFile: string): string {
  return `${databaseFile}-wal`;
}

export function walSize(databaseFile: string): number {
  try {
    return fs.statSync(walPath(databaseFile)).size;
  } catch {
    return 0;
  }
}

/**
 * Flushes the log's written frames to disk on libuv's thread pool (fsync is per file, so any
 * descriptor will do): the commit that must be durable next then has almost nothing left to sync.
 * A missing log (an in-memory database, nothing written yet) has nothing to flush.
 */
export async function flushWal(databaseFile: string): Promise<void> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(walPath(databaseFile), 'r');
  } catch {
    return;
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

// CommonJS, run by a worker from a string, so it needs no file of its own in either build.
const CHECKPOINT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
try {
  db.pragma('busy_timeout = 5000');
  parentPort.postMessage(db.pragma('wal_checkpoint(PASSIVE)')[0]);
} finally {
  db.close();
}
`;

export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/**
 * A PASSIVE checkpoint on a connection of its own in a worker thread: the frames are copied into
 * the database file while the main connection goes on reading and writing (WAL allows both).
 */
export function checkpointOffThread(databaseFile: string): Promise<CheckpointResult> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Promise((resolve, reject) => {
    const worker = new Worker(CHECKPOINT_WORKER, { eval: true, workerData: { driver, file: databaseFile } });
    let result: CheckpointResult | undefined;
    worker.once('message', (message: CheckpointResult) => {
      result = message;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (result) resolve(result);
      else reject(new Error(`the checkpoint worker exited with code ${code} without a result`));
    });
  });
}
