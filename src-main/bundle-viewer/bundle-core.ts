/**
 * A HandshakeCore over one opened debug bundle: the live core's read handlers over an in-memory
 * store of the bundle's records, and a refusal (HSK-409-READ-ONLY-BUNDLE) on every other channel.
 * Read channels are an allow-list, so a channel added later is refused until someone decides it
 * only reads. There is no data dir, no lock, no recovery and no engine: nothing is ever written.
 */
import { RuntimeProbe } from '../model-runtime/probe';
import { ERROR_CODES, HskError } from '../../src-shared/errors';
import { CHANNEL_NAMES, type Channel } from '../../src-shared/ipc';
import type { BundleStatus } from '../../src-shared/inspector-views';
import { DEFAULT_RETENTION_DAYS } from '../flight-recorder/recorder';
import { createHandlers } from '../core/handlers';
import type { JobRunner } from '../workflows/engine';
import type { ChannelHandlers, HandshakeCore } from '../core/types';
import { storeOfBundle } from './bundle-store';
import { readBundle } from './read-bundle';

export const BUNDLE_READ_CHANNELS: ReadonlySet<Channel> = new Set<Channel>([
  'system.status',
  'jobs.get',
  'jobs.list',
  'runs.list',
  'events.list',
  'jobs.lookup',
  'timeline.lanes',
  'traces.get',
  'bundles.status',
  'jobs.explain',
  'jobs.count',
  'jobs.reruns',
  'problems.list',
  'problems.get',
  'policy.inspect',
]);

function readOnly(channel: Channel): never {
  throw new HskError(ERROR_CODES.readOnlyBundle, `${channel} is not available: this is a debug bundle, opened read-only`, { channel });
}

const NO_ENGINE: JobRunner = {
  start() {},
  wake() {},
  cancel: async () => readOnly('jobs.cancel'),
  stop: async () => {},
};

export interface BundleCore extends HandshakeCore {
  readonly bundle: Extract<BundleStatus, { mode: 'bundle' }>;
}

export function openBundleCore(bytes: Uint8Array, fileName: string, version: string): BundleCore {
  const opened = readBundle(bytes, fileName);
  const { store, problems } = storeOfBundle(opened);
  const bundle = { ...opened.status, problems: [...opened.status.problems, ...problems] };
  const live = createHandlers({
    store,
    runner: NO_ENGINE,
    options: { dataDir: `bundle: ${fileName}`, host: 'browser', version, retentionDays: DEFAULT_RETENTION_DAYS, concurrency: 0, allowTerminal: false },
    modelRuntime: { kind: 'none', label: 'none (read-only bundle)', model_id: null },
    // A bundle runs nothing: its probe never asks a runtime and says so.
    runtimeProbe: new RuntimeProbe(null),
    recoveryStatus: () => ({ state: 'complete', stalled_count: 0, waiting_count: 0, ready_in_ms: 0, recovered_job_ids: [], error: null }),
    recoveryDone: Promise.resolve(),
    otlpStatus: () => null,
  });
  const overrides: Partial<ChannelHandlers> = {
    'system.status': async (input) => ({ ...(await live['system.status'](input)), accepting_jobs: false }),
    'bundles.status': async () => bundle,
  };
  const handlers = Object.fromEntries(
    CHANNEL_NAMES.map((channel) => [
      channel,
      overrides[channel] ?? (BUNDLE_READ_CHANNELS.has(channel) ? live[channel] : async () => readOnly(channel)),
    ]),
  ) as ChannelHandlers;
  return {
    bundle,
    handlers,
    dataDir: '',
    recoveryDone: Promise.resolve(),
    onInputRejected: () => null,
    subscribe: () => () => {},
    async close() {
      store.close();
    },
  };
}
