/**
 * `npm run seed -- --data-dir DIR [--jobs N]`: fills a data dir with demo history made by the
 * engine itself, using the mock model runtime (labelled `mock:demo` everywhere). Covers every kind
 * and every reachable state (a terminal job left without consent waits in awaiting_user, never
 * running); leaves some jobs queued and some runs `running` with an old
 * heartbeat, as a crash would, so the next start's recovery marks them stalled. The first
 * LIVE_CYCLE_JOBS run live; a larger seed's bulk is copies of those batches (seed-copies.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { JOB_STATES } from '../../src-shared/enums';
import { NewJobSchema, type AiJob, type NewJobInput } from '../../src-shared/job';
import { parseOrThrow } from '../../src-shared/errors';
import { createAdmittedJob } from '../core/admit';
import { acquireDataDirLock } from '../core/lock';
import { MockModelRuntime } from '../model-runtime/mock';
import { Store } from '../store/store';
import { WorkflowEngine } from '../workflows/engine';
import { resolveDataDir } from '../hosts/shared/host-options';
import { progressBar, type Progress } from './progress';
import { copyInserts, readBatch, writeCopy } from './seed-copies';
import { SEED_DOCUMENTS, SEED_TEMPLATES } from './seed-plan';

const USAGE = 'Usage: npm run seed -- --data-dir DIR [--jobs N]   (N >= 8, default 60)';
/** Jobs the seed makes outside the template cycle: cancelled x2, queued x3, interrupted x2, bundle x1. */
const EXTRA_JOBS = 8;
/** The history spans days and ends this long ago, so the runs it leaves running look stale at once. */
const HISTORY_SPAN_MS = 3 * 24 * 60 * 60 * 1000;
const HISTORY_END_AGO_MS = 2 * 60 * 1000;
/** Jobs submitted together; the history clock jumps forward between batches. */
const BATCH_JOBS = 20;
/**
 * Cycle jobs run live through the engine (two full template cycles); the rest of a larger seed is
 * written as copies of those batches (seed-copies.ts), so `--jobs 20000` takes seconds.
 */
export const LIVE_CYCLE_JOBS = 2 * BATCH_JOBS;
/** Copies written per transaction (a multiple of BATCH_JOBS): few commits, and progress between them. */
const COPY_TRANSACTION_JOBS = 50 * BATCH_JOBS;

/**
 * The history clock. Jobs arrive in batches spread over days; within a batch time runs at the real
 * pace (so durations are what the work took), and it is read once per event-loop turn: every
 * write of one turn gets the same time, as writes made in one instant do. A run's end, its event
 * and its job's completion then agree to the millisecond, no event falls outside its run, and
 * durations (metrics, run and node events) equal the spans the Timeline draws.
 */
class HistoryClock {
  private base: number;
  private baseReal = performance.now();
  private current: number;
  private sameTurn = false;
  readonly start: number;

  constructor(now = Date.now()) {
    this.start = now - HISTORY_END_AGO_MS - HISTORY_SPAN_MS;
    this.base = this.start;
    this.current = this.start;
  }

  readonly now = (): number => {
    if (!this.sameTurn) {
      this.sameTurn = true;
      this.current = Math.max(this.current, Math.round(this.base + performance.now() - this.baseReal));
      setImmediate(() => (this.sameTurn = false));
    }
    return this.current;
  };

  /** The time `fraction` of the way through the history. */
  timeAt(fraction: number): number {
    return this.start + Math.round(fraction * HISTORY_SPAN_MS);
  }

  /** Moves past `ms` (history written without the clock, e.g. copies); the next turn reads the new time. */
  jumpPast(ms: number): void {
    this.base = Math.max(this.base, this.current, ms);
    this.current = Math.max(this.current, ms);
    this.baseReal = performance.now();
  }

  /** Moves to `fraction` of the history (never backwards); the next turn reads the new time. */
  jumpTo(fraction: number): void {
    this.base = Math.max(this.current, this.start + Math.round(fraction * HISTORY_SPAN_MS));
    this.baseReal = performance.now();
  }
}

export interface SeedSummary {
  dataDir: string;
  jobs: number;
  byState: Record<string, number>;
  byKind: Record<string, number>;
  interruptedRuns: number;
  elapsedMs: number;
}

export async function seed(dataDir: string, jobs: number, liveCycleJobs = LIVE_CYCLE_JOBS): Promise<SeedSummary> {
  const started = performance.now();
  const lock = acquireDataDirLock(dataDir);
  const history = new HistoryClock();
  const clock = history.now;
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
  // The seed's plans enter here like any submission: parsed once, admitted by the capability policy,
  // then trusted. It consents to its commands as a host started with --allow-terminal would, except
  // where a template leaves one waiting for the operator.
  const submit = (input: NewJobInput, consent = true): AiJob => {
    const job = parseOrThrow(NewJobSchema, input, 'seed job');
    return createAdmittedJob(store, job, { allowTerminal: consent, submittedKind: input.job_kind, actor: 'human' });
  };
  const created: AiJob[] = [];
  // Jobs written by this seed are the rows after the ones already there.
  const firstRowid = store.attach(({ db }) => db.prepare('SELECT coalesce(max(rowid), 0) FROM ai_jobs').pluck().get() as number);
  try {
    engine.start();
    // 1. The template cycle: every kind, completed / completed_with_issues / failed / poisoned.
    // The first batches run live; the rest are copies of them, moved to their place in the history.
    const cycleJobs = Math.max(0, jobs - EXTRA_JOBS);
    const liveJobs = Math.min(cycleJobs, Math.max(BATCH_JOBS, liveCycleJobs - (liveCycleJobs % BATCH_JOBS)));
    const progress = progressBar('seeding jobs', cycleJobs);
    const liveBatches: string[][] = [];
    for (let batch = 0; batch < liveJobs; batch += BATCH_JOBS) {
      history.jumpTo(batch / cycleJobs);
      const ids: string[] = [];
      for (let i = batch; i < Math.min(liveJobs, batch + BATCH_JOBS); i += 1) {
        const { expect: _expected, consent, ...input } = SEED_TEMPLATES[i % SEED_TEMPLATES.length]!;
        const job = submit(input, consent ?? true);
        created.push(job);
        ids.push(job.job_id);
      }
      liveBatches.push(ids);
      engine.wake();
      await engine.idle();
      progress.update(Math.min(cycleJobs, batch + BATCH_JOBS));
    }
    const copiedJobs = writeCopies(store, dataDir, liveBatches, { from: liveJobs, to: cycleJobs, clock: history, progress });
    progress.stop();
    history.jumpTo(1);

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
      const doc_id = '0193a1f2-4b5c-7d6e-8f90-a1b2c3d4e5f0';
      created.push(submit({ job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', access_mode: 'analysis_only', job_inputs: { text, doc_id } }));
    }
    let interruptedRuns = 0;
    for (const argv of [['sleep', '600'], ['make', 'test']]) {
      const job = submit({ job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv } });
      created.push(job);
      const { run } = store.startRun(job.job_id, 'executor:terminal_exec');
      store.startNode(run.workflow_run_id, { node_id: 'terminal_exec', node_type: 'terminal_exec', sequence: 0, input_payload: { argv } });
      // After its start, and old enough at the next launch for recovery to stall it at once.
      store.heartbeat(run.workflow_run_id);
      interruptedRuns += 1;
    }

    const byState: Record<string, number> = Object.fromEntries(JOB_STATES.map((state) => [state, 0]));
    const byKind: Record<string, number> = {};
    for (const { status, job_kind, n } of store.attach(({ db }) =>
      db.prepare('SELECT status, job_kind, count(*) AS n FROM ai_jobs WHERE rowid > ? GROUP BY status, job_kind').all(firstRowid),
    ) as Array<{ status: string; job_kind: string; n: number }>) {
      byState[status] = (byState[status] ?? 0) + n;
      byKind[job_kind] = (byKind[job_kind] ?? 0) + n;
    }
    return { dataDir, jobs: created.length + copiedJobs, byState, byKind, interruptedRuns, elapsedMs: Math.round(performance.now() - started) };
  } finally {
    await engine.stop();
    store.close();
    lock.release();
  }
}

/**
 * Writes cycle jobs `from`..`to` as copies of the live batches (round robin), one transaction per
 * batch, each at its place in the history, never before the previous copy ended. Returns how many.
 */
function writeCopies(
  store: Store,
  dataDir: string,
  liveBatches: readonly string[][],
  plan: { from: number; to: number; clock: HistoryClock; progress: Progress },
): number {
  if (plan.from >= plan.to || liveBatches.length === 0) return 0;
  return store.attach((access) => {
    const templates = liveBatches.map((ids) => readBatch(access, dataDir, ids));
    const inserts = copyInserts(access.db);
    let notBefore = plan.clock.now() + 1;
    for (let first = plan.from; first < plan.to; first += COPY_TRANSACTION_JOBS) {
      const last = Math.min(plan.to, first + COPY_TRANSACTION_JOBS);
      access.transaction(() => {
        for (let batch = first; batch < last; batch += BATCH_JOBS) {
          const template = templates[(batch / BATCH_JOBS) % templates.length]!;
          const startAt = Math.max(notBefore, plan.clock.timeAt(batch / plan.to));
          const count = Math.min(BATCH_JOBS, last - batch, template.jobs.length);
          notBefore = writeCopy(access, dataDir, template, startAt, count, inserts) + 1;
        }
      });
      plan.progress.update(last);
    }
    plan.clock.jumpPast(notBefore);
    store.rebuildProblems();
    return plan.to - plan.from;
  });
}

function formatSummary(summary: SeedSummary): string {
  const states = Object.entries(summary.byState).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`).join(', ');
  const kinds = Object.entries(summary.byKind).map(([k, n]) => `${k} ${n}`).join(', ');
  return [
    `Seeded ${summary.jobs} jobs into ${summary.dataDir} in ${summary.elapsedMs} ms (model runtime: mock:demo).`,
    `  by state: ${states}`,
    `  by kind:  ${kinds}`,
    `  ${summary.interruptedRuns} runs left running with a heartbeat at least 2 minutes old: the next start's recovery marks them stalled.`,
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
  // Demo history must never land in someone's real data: the desktop default is not a fallback here.
  if (!values['data-dir']) {
    throw new Error(`seed: refusing to write demo history without --data-dir (the default data dir holds the desktop app's real jobs); ${USAGE}`);
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
