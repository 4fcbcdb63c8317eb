/**
 * The part of the Store the engine and executors may call: a Pick, so the compiler holds them to
 * these methods and a new dependency on the store shows up here.
 */
import type { Store } from '../store/store';

export type EngineStore = Pick<
  Store,
  | 'createJob'
  | 'getJob'
  | 'listJobs'
  | 'nextQueuedJobs'
  | 'transitionJob'
  | 'updateMetrics'
  | 'startRun'
  | 'heartbeat'
  | 'finishRun'
  | 'startNode'
  | 'finishNode'
  | 'reuseNode'
  | 'listRuns'
  | 'recordEvent'
  | 'listEvents'
  | 'transaction'
  | 'groupTransaction'
  | 'getProblem'
  | 'problemInstances'
  | 'diagnosticsOfJob'
  | 'diagnosticsInWindow'
  | 'recordProcess'
  | 'endProcess'
>;
