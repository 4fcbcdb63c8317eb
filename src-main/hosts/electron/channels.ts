/**
 * The contract's names as plain strings, for the preload: importing src-shared/ipc there would pull
 * zod and every schema into a sandboxed preload. channels.test.ts keeps these equal to the contract.
 */
export const PRELOAD_CHANNELS = [
  'system.status',
  'jobs.create',
  'jobs.get',
  'jobs.list',
  'jobs.cancel',
  'jobs.resume',
  'jobs.fail',
  'runs.list',
  'events.list',
  'bundles.export',
  'traces.export_otlp',
  'jobs.lookup',
  'timeline.lanes',
  'traces.get',
  'bundles.status',
  'bundles.download',
  'bundles.open',
  'jobs.explain',
  'jobs.count',
  'jobs.cancel_many',
  'jobs.rerun',
  'jobs.reruns',
  'jobs.terminal_output',
  'problems.list',
  'problems.get',
  'problems.set_status',
  'policy.simulate',
  'policy.inspect',
  'nav.resolve',
  'jobs.accept',
  'jobs.reject',
] as const;

export const PUSH_EVENT_NAMES = ['job.changed', 'event.appended', 'recovery.progress'] as const;

/** The one IPC channel that carries push messages from main to the window. */
export const PUSH_IPC_CHANNEL = 'handshake:push';

/** The page tells main it has subscribed to pushes; main holds pushes until then (push-outbox.ts). */
export const RENDERER_READY_IPC_CHANNEL = 'handshake:renderer-ready';
