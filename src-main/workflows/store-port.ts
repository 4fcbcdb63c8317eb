/**
 * The part of the lead's Store the engine and executors use. A Pick, so the engine depends on
 * what it calls and a test can see exactly which store calls a run makes.
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
  | 'listRuns'
  | 'recordEvent'
  | 'listEvents'
  | 'transaction'
  | 'groupTransaction'
>;
