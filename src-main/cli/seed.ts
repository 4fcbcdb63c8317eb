/**
 * `npm run seed -- --data-dir DIR [--jobs N]`: fills a data dir with demo history made by the
 * engine itself, using the mock model runtime (labelled `mock:demo` everywhere). Covers every kind
 * and every reachable state; leaves some jobs queued and some runs `running` with an old
 * heartbeat, as a crash would, so the next start's recovery marks them stalled.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { JOB_STATES } from '../../src-shared/enums';
import { NewJobSchema, type AiJob, type NewJob, type NewJobInput } from '../../src-shared/job';
import { parseOrThrow } from '../../src-shared/errors';
import { profileForJob } from '../capabilities/profiles';
import { acquireDataDirLock } from '../core/lock';
import { MockModelRuntime } from '../model-runtime/mock';
import { Store } from '../store/store';
import { WorkflowEngine } from '../workflows/engine';
import { resolveDataDir } from './args';
import { progressBar } from './progress';
import { SEED_DOCUMENTS, SEED_TEMPLATES } from './seed-plan';

const USAGE = 'Usage: npm run seed -- --data-dir DIR [--jobs N]   (N >= 8, default 60)';
/** Jobs the seed makes outside the template cycle: cancelled x2, queued x3, interrupted x2, bundle x1. */
const EXTRA_JOBS = 8;
/** Each store write moves the history clock forward by this much, so the history spans days. */
const HISTORY_SPAN_MS = 3 * 24 * 60 * 60 * 1000;
const WRITES_PER_JOB = 16;

/** A monotonic clock that starts days ago and never passes the real now. */
function historyClock(jobs: number): () => number {
  const stepMs = Math.max(1, Math.floor(HISTORY_SPAN_MS / (jobs * WRITES_PER_JOB)));
  let t = Date.now() - HISTORY_SPAN_MS - 60_000;
  return () => {
    t = Math.min(t + stepMs, Date.now() - 1_000);
    return t;
  };
}

export interface SeedSummary {
  dataDir: string;
  jobs: number;
  byState: Record<string, number>;
  byKind: Record<string, number>;
  interruptedRuns: number;
  elapsedMs: number;
}

export async function seed(dataDir: string, jobs: number): Promise<SeedSummary> {
  const started = performance.now();
  const lock = acquireDataDirLock(dataDir);
  const clock = historyClock(jobs);
  const store = Store.open(dataDir, { synchronous: 'NORMAL', now: clock });
  const documentsDir = path.join(dataDir, 'documents');
  fs.mkdirSync(documentsDir, { recursive: true });
  for (const [name, text] of Object.entries(SEED_DOCUMENTS)) fs.writeFileSync(path.join(documentsDir, name), text);

  const engine = new WorkflowEngine({
    store,
    dataDir,
    concurrency: 4,
    clock,
    modelRuntime: new MockModelRuntime({ name: 'demo' }),
  });
  // The seed's plans enter here like any submission: parsed once, then trusted.
  const optionsFor = (job: NewJob, input: NewJobInput) => ({ capabilityProfileId: profileForJob(job.job_kind, job.protocol_id), submittedKind: input.job_kind });
  const submit = (input: NewJobInput): AiJob => {
    const job = parseOrThrow(NewJobSchema, input, 'seed job');
    return store.createJob(job, optionsFor(job, input));
  };
  const submitMany = (inputs: NewJobInput[]): AiJob[] => {
    const parsed = inputs.map((input) => parseOrThrow(NewJobSchema, input, 'seed job'));
    const inputOf = new Map(parsed.map((job, i) => [job, inputs[i]!]));
    return store.createJobs(parsed, (job) => optionsFor(job, inputOf.get(job)!));
  };
  const created: AiJob[] = [];
  try {
    engine.start();
    // 1. The template cycle: every kind, completed / completed_with_issues / failed / poisoned,
    //    stored in one batch, then run by the engine.
    const cycle = Array.from({ length: Math.max(0, jobs - EXTRA_JOBS) }, (_, i) => {
      const { expect: _expected, ...input } = SEED_TEMPLATES[i % SEED_TEMPLATES.length]!;
      return input;
    });
    created.push(...submitMany(cycle));
    const progress = progressBar('running seed jobs', cycle.length);
    let finished = 0;
    const stopCounting = engine.on((milestone) => {
      if (milestone.type === 'run_finished' || milestone.type === 'job_refused') progress.update((finished += 1));
    });
    engine.wake();
    await engine.idle();
    stopCounting();
    progress.stop();

    // 2. A debug bundle of a finished job, a job cancelled while queued, one cancelled while running.
    const target = created.find((job) => store.getJob(job.job_id).state === 'failed') ?? created[0];
    if (target) created.push(submit({ job_kind: 'debug_bundle_export', protocol_id: 'hsk.bundle.export.v0', access_mode: 'analysis_only', job_inputs: { target_job_id: target.job_id } }));
    const longCommand = { job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped' as const, job_inputs: { argv: ['sleep', '30'] } };
    const queuedThenCancelled = submit(longCommand);
    created.push(queuedThenCancelled);
    await engine.cancel(queuedThenCancelled.job_id, 'cancelled_by_operator');
    const running = submit(longCommand);
    created.push(running);
    const runStarted = engine.waitFor((m) => m.type === 'run_started' && m.job_id === running.job_id);
    engine.wake();
    await runStarted;
    await engine.cancel(running.job_id, 'cancelled_by_operator');
    await engine.idle();
    await engine.stop();

    // 3. Left for the next start: queued jobs, and runs a crash left `running` with an old heartbeat.
    for (const text of ['Summarise the onboarding guide.', 'Summarise the incident timeline.', 'Summarise the release notes.']) {
      created.push(submit({ job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', access_mode: 'analysis_only', job_inputs: { text } }));
    }
    let interruptedRuns = 0;
    for (const argv of [['sleep', '600'], ['make', 'test']]) {
      const job = submit({ job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv } });
      created.push(job);
      const { run } = store.startRun(job.job_id);
      store.startNode(run.workflow_run_id, { node_id: 'terminal_exec', node_type: 'terminal_exec', sequence: 0, input_payload: { argv } });
      store.heartbeat(run.workflow_run_id, Date.now() - 120_000);
      interruptedRuns += 1;
    }

    const byState: Record<string, number> = Object.fromEntries(JOB_STATES.map((state) => [state, 0]));
    const byKind: Record<string, number> = {};
    for (const job of created.map((j) => store.getJob(j.job_id))) {
      byState[job.state] = (byState[job.state] ?? 0) + 1;
      byKind[job.job_kind] = (byKind[job.job_kind] ?? 0) + 1;
    }
    return { dataDir, jobs: created.length, byState, byKind, interruptedRuns, elapsedMs: Math.round(performance.now() - started) };
  } finally {
    await engine.stop();
    store.close();
    lock.release();
  }
}

function formatSummary(summary: SeedSummary): string {
  const states = Object.entries(summary.byState).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`).join(', ');
  const kinds = Object.entries(summary.byKind).map(([k, n]) => `${k} ${n}`).join(', ');
  return [
    `Seeded ${summary.jobs} jobs into ${summary.dataDir} in ${summary.elapsedMs} ms (model runtime: mock:demo).`,
    `  by state: ${states}`,
    `  by kind:  ${kinds}`,
    `  ${summary.interruptedRuns} runs left running with a 2-minute-old heartbeat: the next start's recovery marks them stalled.`,
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'data-dir': { type: 'string' }, jobs: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const jobs = values.jobs === undefined ? 60 : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < EXTRA_JOBS || jobs > 100_000) {
    throw new Error(`--jobs must be an integer from ${EXTRA_JOBS} to 100000\n${USAGE}`);
  }
  console.log(formatSummary(await seed(resolveDataDir(values['data-dir']), jobs)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
