/**
 * The composition root shared by both hosts: lock the data dir -> open and migrate the DB ->
 * record app_started -> apply retention -> startup recovery -> open the job gate and start the
 * engine. The hosts add only their transport.
 */
import { randomUUID } from 'node:crypto';
import type { PushMessage, PushEventName, PushPayload } from '../../src-shared/ipc';
import { DEFAULT_RETENTION_DAYS } from '../flight-recorder/recorder';
import { StartupRecovery, type RecoveryClock } from '../recovery/recovery';
import { startSearchIndexer } from '../store/search-indexer';
import { Store } from '../store/store';
import { createModelRuntime, describeRuntime } from '../model-runtime';
import { createEngine, type JobRunner } from '../workflows/engine';
import { createHandlers } from './handlers';
import { acquireDataDirLock } from './lock';
import { recordJobRejection } from './rejections';
import type { CoreOptions, HandshakeCore } from './types';

/** Test seams: a clock for recovery and a threshold, so tests need not wait 30 s. */
export interface CoreTestHooks {
  recoveryClock?: RecoveryClock;
  recoveryThresholdMs?: number;
}

export async function openCore(options: CoreOptions, hooks: CoreTestHooks = {}): Promise<HandshakeCore> {
  const lock = acquireDataDirLock(options.dataDir);
  let store: Store;
  try {
    store = Store.open(options.dataDir);
  } catch (error) {
    lock.release();
    throw error;
  }

  const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const modelRuntime = options.modelRuntime ?? 'none';
  const sessionTrace = randomUUID();
  const previousStop = store.previousStop();
  store.recordEvent({
    type: 'app_started',
    actor: 'system',
    actor_id: options.host,
    trace_id: sessionTrace,
    payload: { version: options.version, pid: process.pid, host: options.host, previous_stop: previousStop },
  });
  store.purgeEvents(retentionDays, sessionTrace);

  const listeners = new Set<(message: PushMessage) => void>();
  let seq = 0;
  function push<E extends PushEventName>(name: E, payload: PushPayload<E>): void {
    seq += 1;
    const message = { seq, name, payload } as PushMessage;
    for (const listener of listeners) listener(message);
  }
  const unsubscribeStore = store.onChange((change) => {
    if (change.kind === 'job') push('job.changed', { job: change.job });
    else push('event.appended', { event: change.event });
  });

  const searchIndexer = startSearchIndexer(store);
  const runtime = createModelRuntime(modelRuntime, { ollama: options.ollama });
  const runner: JobRunner = createEngine(store, {
    dataDir: options.dataDir,
    modelRuntime: runtime,
    concurrency: options.concurrency ?? 2,
  });

  const recovery = new StartupRecovery(store, {
    reason: previousStop === 'clean' ? 'interrupted_by_shutdown' : 'heartbeat_timeout_after_crash',
    thresholdMs: hooks.recoveryThresholdMs,
    clock: hooks.recoveryClock,
    onProgress: (status) => push('recovery.progress', { recovery: status }),
  });
  // Non-blocking: hosts start serving at once; jobs.create awaits this promise (the gate).
  const recoveryDone = recovery.run().then(() => {
    if (options.startEngine !== false) runner.start();
  });
  recoveryDone.catch((error: unknown) => {
    console.error('startup recovery failed; no job will be accepted until restart:', error);
  });

  const handlers = createHandlers({
    store,
    runner,
    options: { dataDir: options.dataDir, host: options.host, version: options.version, retentionDays },
    modelRuntime: describeRuntime(runtime),
    recoveryStatus: () => recovery.status(),
    recoveryDone,
  });

  let closed = false;
  return {
    handlers,
    dataDir: options.dataDir,
    recoveryDone,
    onInputRejected(channel, rawInput, error) {
      if (channel !== 'jobs.create' || closed) return;
      try {
        recordJobRejection(store, rawInput, error);
      } catch (auditError) {
        console.error('could not record a job_rejected event:', auditError);
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close(reason: string) {
      if (closed) return;
      closed = true;
      await runner.stop();
      searchIndexer.stop();
      unsubscribeStore();
      store.recordEvent({
        type: 'app_stopped',
        actor: 'system',
        actor_id: options.host,
        trace_id: sessionTrace,
        payload: { reason },
      });
      store.close();
      lock.release();
    },
  };
}
