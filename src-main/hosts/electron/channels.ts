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
  'jobs.accept',
  'jobs.reject',
] as const;

export const PUSH_EVENT_NAMES = ['job.changed', 'event.appended', 'recovery.progress'] as const;

/** The one IPC channel that carries push messages from main to the window. */
export const PUSH_IPC_CHANNEL = 'handshake:push';
