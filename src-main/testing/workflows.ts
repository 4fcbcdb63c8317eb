/** Shared set-up for engine and executor tests: a fresh data dir, a real store, a real engine. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NewJobSchema, type NewJobInput } from '../../src-shared/job';
import { parseOrThrow } from '../../src-shared/errors';
import { profileForJob } from '../capabilities/profiles';
import { switchConsent } from '../capabilities/consent';
import type { ModelRuntime } from '../model-runtime/runtime';
import { Store } from '../store/store';
import { WorkflowEngine, type WorkflowEngineOptions } from '../workflows/engine';
import type { TimerApi } from '../workflows/run';

export interface TestRig {
  dataDir: string;
  store: Store;
  engine: WorkflowEngine;
  /**
   * Stores a job as jobs.create would, consented as under --allow-terminal unless `consent: false`
   * (then a terminal job waits for the operator). `profile` overrides the chosen capability profile.
   */
  submit(input: NewJobInput, options?: { profile?: string; consent?: boolean }): ReturnType<Store['createJob']>;
  close(): Promise<void>;
}

export function makeRig(
  options: Partial<Omit<WorkflowEngineOptions, 'store' | 'dataDir'>> & { modelRuntime?: ModelRuntime | null } = {},
): TestRig {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-engine-'));
  // The engine's clock is the store's too, so tests that move time move both.
  const store = Store.open(dataDir, { synchronous: 'NORMAL', now: options.clock });
  const engine = new WorkflowEngine({ store, dataDir, modelRuntime: null, ...options });
  return {
    dataDir,
    store,
    engine,
    submit(input, { profile, consent = true } = {}) {
      const job = parseOrThrow(NewJobSchema, input, 'test job');
      return store.createJob(job, {
        capabilityProfileId: profile ?? profileForJob(job.job_kind, job.protocol_id, job.access_mode ?? 'analysis_only'),
        submittedKind: input.job_kind,
        consent: consent ? switchConsent(Date.now()) : undefined,
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

/** Timers the test advances by hand, with a clock that moves with them. */
export class ManualTimers implements TimerApi {
  nowMs = 1_700_000_000_000;
  private nextId = 1;
  private readonly intervals = new Map<number, { callback: () => void; ms: number; due: number }>();

  readonly clock = (): number => this.nowMs;

  setInterval(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.intervals.set(id, { callback, ms, due: this.nowMs + ms });
    return id;
  }

  clearInterval(handle: unknown): void {
    this.intervals.delete(handle as number);
  }

  // Timeouts are not under test here: they never fire.
  setTimeout(): unknown {
    return 0;
  }

  clearTimeout(): void {}

  get pendingIntervals(): number {
    return this.intervals.size;
  }

  /** Moves time forward, firing every interval that falls due. */
  advance(ms: number): void {
    const target = this.nowMs + ms;
    for (;;) {
      const next = [...this.intervals.entries()].sort((a, b) => a[1].due - b[1].due)[0];
      if (!next || next[1].due > target) break;
      this.nowMs = next[1].due;
      next[1].due += next[1].ms;
      next[1].callback();
    }
    this.nowMs = target;
  }
}
