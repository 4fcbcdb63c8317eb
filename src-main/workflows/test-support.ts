/** Shared set-up for engine and executor tests: a fresh data dir, a real store, a real engine. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NewJobInput } from '../../src-shared/job';
import { profileForJob } from '../capabilities/profiles';
import type { ModelRuntime } from '../model-runtime/runtime';
import { Store } from '../store/store';
import { WorkflowEngine, type WorkflowEngineOptions } from './engine';

export interface TestRig {
  dataDir: string;
  store: Store;
  engine: WorkflowEngine;
  submit(input: NewJobInput, profile?: string): ReturnType<Store['createJob']>;
  close(): Promise<void>;
}

export function makeRig(
  options: Partial<Omit<WorkflowEngineOptions, 'store' | 'dataDir'>> & { modelRuntime?: ModelRuntime | null } = {},
): TestRig {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-engine-'));
  const store = Store.open(dataDir, { synchronous: 'NORMAL' });
  const engine = new WorkflowEngine({ store, dataDir, modelRuntime: null, ...options });
  return {
    dataDir,
    store,
    engine,
    submit(input, profile) {
      return store.createJob(input, {
        capabilityProfileId: profile ?? profileForJob(String(input.job_kind), input.protocol_id),
        submittedKind: String(input.job_kind),
      });
    },
    async close() {
      await engine.stop();
      store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs the engine until every queued job has been taken and finished. */
export async function drain(engine: WorkflowEngine): Promise<void> {
  engine.start();
  engine.wake();
  await engine.idle();
}
