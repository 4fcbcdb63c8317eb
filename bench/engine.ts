/**
 * Engine benchmarks (issue 5): jobs/s through the workflow engine with the mock model runtime and
 * no-op work (queued -> completed, every step durable with its events), and the engine's own
 * overhead per job against the same store calls made directly, at the store's default durability.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { profileForJob } from '../src-main/capabilities/profiles';
import { MockModelRuntime } from '../src-main/model-runtime/mock';
import { Store } from '../src-main/store/store';
import { WorkflowEngine } from '../src-main/workflows/engine';
import { plainjobProcessRate } from './peers';
import { format, median, type BenchRow } from './stats';

const ROUNDS = 3;
/**
 * Enough concurrent jobs that a group commit shares one fsync among many steps, so the figure shows
 * the engine's own cost per job rather than the disk's fsync latency (real work defaults to 2).
 */
export const BENCH_CONCURRENCY = 16;
const JOB = {
  job_kind: 'doc_summarize',
  protocol_id: 'hsk.docs.summarize.v0',
  access_mode: 'analysis_only',
  job_inputs: { text: 'tiny', doc_id: '00000000-0000-4000-8000-00000000be7c' },
} as const;

type Durability = 'FULL' | 'NORMAL';

function freshStore(base: string, label: string, synchronous: Durability): { store: Store; dir: string } {
  const dir = fs.mkdtempSync(path.join(base, `${label}-`));
  return { store: Store.open(dir, { synchronous }), dir };
}

function queue(store: Store, jobs: number): string[] {
  return store.createJobs(Array.from({ length: jobs }, () => JOB), { capabilityProfileId: profileForJob(JOB.job_kind, JOB.protocol_id, JOB.access_mode) }).map((job) => job.job_id);
}

async function engineRound(base: string, jobs: number, synchronous: Durability): Promise<number> {
  const { store, dir } = freshStore(base, 'engine', synchronous);
  queue(store, jobs);
  const engine = new WorkflowEngine({ store, dataDir: dir, concurrency: BENCH_CONCURRENCY, modelRuntime: new MockModelRuntime({ name: 'bench' }) });
  const start = process.hrtime.bigint();
  engine.start();
  await engine.idle();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const completed = store.listJobs({ state: ['completed'], limit: 1 }).items.length;
  await engine.stop();
  store.close();
  if (completed === 0) throw new Error('engine bench: no job completed');
  return ms;
}

/**
 * The same durable writes in a plain loop, one job at a time: three commits per job, never shared
 * with another job. The engine groups the commits of concurrent jobs, so it can beat this loop.
 */
function storeRound(base: string, jobs: number, synchronous: Durability): number {
  const { store } = freshStore(base, 'store', synchronous);
  const ids = queue(store, jobs);
  const start = process.hrtime.bigint();
  for (const jobId of ids) {
    const job = store.getJob(jobId);
    const { run, node } = store.transaction(() => {
      for (const capability of ['doc.read', 'doc.summarize']) {
        store.recordEvent({
          type: 'capability_action', actor: 'agent', actor_id: 'workflow_engine', trace_id: job.trace_id, job_id: jobId, capability_id: capability,
          payload: { capability_id: capability, actor_id: 'workflow_engine', job_id: jobId, decision_outcome: 'allow' },
        });
      }
      const started = store.startRun(jobId);
      const opened = store.startNode(started.run.workflow_run_id, { node_id: 'doc_summarize', node_type: 'doc_summarize', sequence: 0, input_payload: JOB.job_inputs });
      return { run: started.run, node: opened };
    });
    store.transaction(() => {
      store.recordEvent({
        type: 'llm_inference', actor: 'agent', trace_id: job.trace_id, job_id: jobId, workflow_run_id: run.workflow_run_id, model_id: 'mock:bench',
        payload: { trace_id: job.trace_id, model_id: 'mock:bench', token_usage: { prompt_tokens: 8, completion_tokens: 4, total_tokens: 12 }, latency_ms: 0 },
      });
      store.updateMetrics(jobId, { total_tokens: 12, input_tokens: 8, output_tokens: 4, tokens_executor: 12, validators_run_count: 2 });
    });
    store.transaction(() => {
      store.finishNode(node.node_execution_id, { status: 'completed', reason: 'model_output_ready', output_payload: { text: 'x' } });
      store.finishRun(run.workflow_run_id, { status: 'completed', reason: 'completed', cause: 'engine', patch: { job_outputs: { text: 'x' } } });
    });
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  store.close();
  return ms;
}

interface Measured {
  engine: number;
  store: number;
  /** plainjob's process rate, jobs/s. */
  plainjob: number;
}

async function measure(base: string, jobs: number, synchronous: Durability): Promise<Measured> {
  const engineMs: number[] = [];
  const storeMs: number[] = [];
  const plainjob: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    engineMs.push(await engineRound(base, jobs, synchronous));
    plainjob.push(await plainjobProcessRate(jobs, synchronous));
    storeMs.push(storeRound(base, jobs, synchronous));
  }
  return { engine: median(engineMs), store: median(storeMs), plainjob: median(plainjob) };
}

function rows(jobs: number, synchronous: Durability, ms: Measured): BenchRow[] {
  const label = synchronous === 'FULL' ? 'synchronous=FULL, the store default' : 'synchronous=NORMAL (WAL: durable at checkpoint, not per commit)';
  const rate = (jobs / ms.engine) * 1000;
  return [
    {
      group: 'engine',
      name: `engine throughput, mock runtime, no-op work (${synchronous})`,
      value: Math.round(rate),
      unit: 'jobs/s',
      raw: Math.round(ms.plainjob),
      compare: `plainjob ${synchronous} ${format(ms.plainjob)} jobs/s`,
      ratio: Number((rate / ms.plainjob).toFixed(2)),
      n: jobs,
      note: `queued -> completed, every step durable before it is acted on and every event recorded (group commit across the running jobs); concurrency ${BENCH_CONCURRENCY}; median of ${ROUNDS}; plainjob 0.0.14: one worker, no-op handler, no event log, same synchronous setting; ratio = engine / plainjob; ${label}`,
      target: { min_ratio: 1 },
    },
    {
      group: 'engine',
      name: `engine overhead per job over the store alone (${synchronous})`,
      value: Number((((ms.engine - ms.store) / jobs) * 1000).toFixed(1)),
      unit: 'µs/job',
      compare: `store loop ${format((jobs / ms.store) * 1000)} jobs/s`,
      n: jobs,
      note: `engine ${((ms.engine / jobs) * 1000).toFixed(1)} µs/job vs store loop ${((ms.store / jobs) * 1000).toFixed(1)} µs/job; negative = group commit saves more than the engine costs`,
    },
  ];
}

export async function benchEngine(opts: { dataDir?: string; jobs?: number } = {}): Promise<BenchRow[]> {
  const jobs = opts.jobs ?? 2_000;
  const base = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-bench-engine-'));
  try {
    const full = await measure(base, jobs, 'FULL');
    const normal = await measure(base, jobs, 'NORMAL');
    return [...rows(jobs, 'FULL', full), ...rows(jobs, 'NORMAL', normal)];
  } finally {
    if (!opts.dataDir) fs.rmSync(base, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  benchEngine().then((rows) => console.table(rows.map(({ target: _t, ...row }) => row)), (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
