/**
 * The composition root shared by both hosts: lock the data dir -> open and migrate the DB ->
 * record app_started -> apply retention -> startup recovery -> open the job gate and start the
 * engine. The hosts add only their transport.
 */
import { uuidv7 } from '../db/ids';
import { ERROR_CODES, HskError } from '../../src-shared/errors';
import type { PushMessage, PushEventName, PushPayload } from '../../src-shared/ipc';
import { isTerminalState } from '../../src-shared/transitions';
import { DEFAULT_RETENTION_DAYS } from '../flight-recorder/recorder';
import { LiveOtlpExporter } from '../otel/live-exporter';
import { StartupRecovery, type RecoveryClock } from '../recovery/recovery';
import { startSearchIndexer } from '../store/search-indexer';
import { Store } from '../store/store';
import { createModelRuntime, describeRuntime } from '../model-runtime';
import { RuntimeProbe } from '../model-runtime/probe';
import { createEngine, type JobRunner } from '../workflows/engine';
import { createHandlers } from './handlers';
import { acquireDataDirLock } from './lock';
import { recordJobRejection } from './rejections';
import type { CoreOptions, HandshakeCore } from './types';

/** How often the retention window is applied while the app is open (also once at start). */
export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/** Test seams: a clock for recovery and a threshold, so tests need not wait 30 s; the retention schedule. */
export interface CoreTestHooks {
  recoveryClock?: RecoveryClock;
  recoveryThresholdMs?: number;
  retentionIntervalMs?: number;
}

/** What intake answers after a failed recovery: the code callers branch on, and what failed. */
function recoveryFailure(error: unknown): HskError {
  const what = error instanceof Error ? error.message : String(error);
  return new HskError(
    ERROR_CODES.recoveryFailed,
    `Startup recovery failed (${what}); no job is accepted until the app is restarted.`,
    { error: what },
  );
}

/** Pushes kept for the first subscriber; more than start-up produces. */
const EARLY_PUSH_LIMIT = 1_000;

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
  const sessionTrace = uuidv7();
  const previousStop = store.previousStop();
  store.recordEvent({
    type: 'app_started',
    actor: 'system',
    actor_id: options.host,
    trace_id: sessionTrace,
    payload: { version: options.version, pid: process.pid, host: options.host, previous_stop: previousStop },
  });
  store.purgeEvents(retentionDays, sessionTrace);
  // Retention runs on a schedule too: an app left open for weeks still keeps only its window.
  const retentionTimer = setInterval(() => {
    try {
      store.purgeEvents(retentionDays, sessionTrace);
    } catch (error) {
      console.error('the scheduled retention purge failed; it is retried at the next interval:', error);
    }
  }, hooks.retentionIntervalMs ?? RETENTION_INTERVAL_MS);
  retentionTimer.unref();

  const listeners = new Set<(message: PushMessage) => void>();
  // Pushes made before a host subscribes (recovery progress during openCore) are kept for the
  // first subscriber, so its sequence starts at 1 with no gap. Bounded: past it, the gap makes the
  // client resynchronise, as any gap does.
  let beforeFirstSubscriber: PushMessage[] | null = [];
  let seq = 0;
  /**
   * `payload` is built only when someone will receive the message: a job change parses its row
   * then (StoreChange), so the stalls of a large recovery that no host hears are never parsed.
   * The sequence counts every message either way: a subscriber that missed one sees the gap.
   */
  function push<E extends PushEventName>(name: E, payload: () => PushPayload<E>): void {
    seq += 1;
    const early = beforeFirstSubscriber !== null && beforeFirstSubscriber.length < EARLY_PUSH_LIMIT ? beforeFirstSubscriber : null;
    if (early === null && listeners.size === 0) return;
    const message = { seq, name, payload: payload() } as PushMessage;
    early?.push(message);
    for (const listener of listeners) listener(message);
  }
  const unsubscribeStore = store.onChange((change) => {
    if (change.kind === 'job') push('job.changed', () => ({ job: change.job }));
    else push('event.appended', () => ({ event: change.event }));
  });
  const liveExport = options.otlp ? new LiveOtlpExporter(store, { ...options.otlp, serviceVersion: options.version }) : null;
  const unsubscribeLiveExport = liveExport
    ? store.onChange((change) => {
        if (change.kind === 'job' && isTerminalState(change.state)) liveExport.jobFinished(change.job_id);
      })
    : () => undefined;

  const searchIndexer = startSearchIndexer(store);
  const runtime = createModelRuntime(modelRuntime, { ollama: options.ollama });
  const concurrency = options.concurrency ?? 2;
  const runtimeDescription = describeRuntime(runtime);
  const allowTerminal = options.allowTerminal ?? false;
  // Runtime detection at start (Phase 1); system.status can ask again.
  const runtimeProbe = new RuntimeProbe(runtime);
  void runtimeProbe.check();
  const runner: JobRunner = createEngine(store, {
    dataDir: options.dataDir,
    modelRuntime: runtime,
    concurrency,
    environment: () => ({
      app_version: options.version,
      host: options.host,
      retention_days: retentionDays,
      model_runtime: { ...runtimeDescription, reachability: runtimeProbe.current },
      allow_terminal: allowTerminal,
    }),
  });

  const recovery = new StartupRecovery(store, {
    reason: previousStop === 'clean' ? 'interrupted_by_shutdown' : 'heartbeat_timeout_after_crash',
    thresholdMs: hooks.recoveryThresholdMs,
    clock: hooks.recoveryClock,
    onProgress: (status) => push('recovery.progress', () => ({ recovery: status })),
  });
  // Non-blocking: hosts start serving at once; jobs.create and operator actions on jobs recovery
  // has not yet handled await this promise (the gate). A failed recovery keeps intake closed.
  const recoveryDone = recovery.run().then(
    () => {
      if (options.startEngine !== false) runner.start();
    },
    (error: unknown) => {
      console.error('startup recovery failed; no job will be accepted until restart:', error);
      throw recoveryFailure(error);
    },
  );
  // Awaited by the handlers and the hosts; the failure is theirs to report, not an unhandled rejection.
  recoveryDone.catch(() => undefined);

  const handlers = createHandlers({
    store,
    runner,
    options: { dataDir: options.dataDir, host: options.host, version: options.version, retentionDays, concurrency, allowTerminal },
    modelRuntime: runtimeDescription,
    runtimeProbe,
    recoveryStatus: () => recovery.status(),
    recoveryDone,
    otlpStatus: () => liveExport?.status() ?? null,
    openBundleView: options.openBundleView,
  });

  let closed = false;
  return {
    handlers,
    dataDir: options.dataDir,
    recoveryDone,
    onInputRejected(channel, rawInput, error) {
      if (channel !== 'jobs.create' || closed) return null;
      try {
        const event = recordJobRejection(store, rawInput, error);
        return { event_id: event.event_id, trace_id: event.trace_id };
      } catch (auditError) {
        console.error('could not record a job_rejected event:', auditError);
        return null;
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      const early = beforeFirstSubscriber;
      beforeFirstSubscriber = null;
      for (const message of early ?? []) listener(message);
      return () => listeners.delete(listener);
    },
    async close(reason: string) {
      if (closed) return;
      closed = true;
      clearInterval(retentionTimer);
      await runner.stop();
      searchIndexer.stop();
      unsubscribeStore();
      unsubscribeLiveExport();
      // Before the store closes: the last finished jobs are still read from it.
      await liveExport?.shutdown();
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
