/**
 * debug_bundle_export: writes the evidence of one job (scope `job`) or of every job of one trace
 * (scope `trace`) as a directory and a deterministic ZIP under <dataDir>/bundles/ (§10.5.6): the
 * records, runs with node executions, Flight Recorder events, metrics, env.json (versions, platform,
 * model runtime and whether it was reachable, settings; no paths or secrets), a retention report
 * (what the Flight Recorder had already purged), repro instructions, and a manifest holding each
 * file's SHA-256 and the bundle hash. Redaction is on by default.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isHskError } from '../../src-shared/errors';
import type { FlightEvent } from '../../src-shared/events';
import type { RuntimeReachability } from '../../src-shared/ipc';
import { BundleInputsSchema, type BundleInputs } from '../../src-shared/job-inputs';
import type { AiJob } from '../../src-shared/job';
import type { ModelRuntimeDescription } from '../model-runtime/runtime';
import { Redactor } from '../security/redact';
import { dataRef } from './artifacts';
import { ExecutorFailure, invalidInputs, type ExecutorContext, type ExecutorEntry, type ExecutorResult } from './types';
import { deterministicZip } from './zip';

/** What the host tells a bundle about itself (env.json): nothing that names a path or a secret. */
export interface BundleEnvironment {
  app_version: string;
  host: string;
  retention_days: number;
  model_runtime: ModelRuntimeDescription & { reachability: RuntimeReachability };
  allow_terminal: boolean;
}

export const UNKNOWN_ENVIRONMENT: BundleEnvironment = {
  app_version: 'unknown',
  host: 'unknown',
  retention_days: 30,
  model_runtime: { kind: 'none', label: 'unknown', model_id: null, reachability: { reachable: null, models: [], message: null, checked_at: null } },
  allow_terminal: false,
};

/** Spec limit on events per bundle (§10.5.6 profile constants). */
const MAX_EVENTS = 10_000;
const PAGE = 500;
/** Spec limit on jobs per bundle. */
const MAX_JOBS = 1_000;

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function json(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

type EventFilter = { job_id: string } | { trace_id: string };

function collectEvents(ctx: ExecutorContext, filter: EventFilter): { events: FlightEvent[]; truncated: boolean; purgedBefore: string | null } {
  const events: FlightEvent[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = ctx.store.listEvents({ ...filter, order: 'asc', limit: PAGE, ...(cursor ? { cursor } : {}) });
    events.push(...page.items);
    if (events.length >= MAX_EVENTS) return { events: events.slice(0, MAX_EVENTS), truncated: true, purgedBefore: page.purged_before };
    if (!page.next_cursor) return { events, truncated: false, purgedBefore: page.purged_before };
    cursor = page.next_cursor;
  }
}

/** SAFE_DEFAULT: payloads become a hash plus a short redacted preview (§5.6). */
function payloadView(value: unknown, mode: BundleInputs['redaction_mode'], redactor: Redactor): unknown {
  if (value === null || value === undefined) return null;
  if (mode === 'WORKSPACE') return redactor.redactValue(value);
  const text = JSON.stringify(value);
  const masked = JSON.stringify(redactor.maskSecretKeys(value));
  return { sha256: sha256(text), preview: redactor.redactText(masked.slice(0, 400)).slice(0, 200) };
}

function getTarget(ctx: ExecutorContext, jobId: string): AiJob {
  try {
    return ctx.store.getJob(jobId);
  } catch (error) {
    if (isHskError(error) && error.code === 'HSK-404-NOT-FOUND') throw new ExecutorFailure('target_not_found', `no job ${jobId} to export`);
    throw error;
  }
}

/** The jobs a bundle covers: the one job, or every job of the trace (oldest first). */
function jobsInScope(ctx: ExecutorContext, inputs: BundleInputs): AiJob[] {
  if ((inputs.scope ?? 'job') === 'job') return [getTarget(ctx, inputs.target_job_id as string)];
  const jobs: AiJob[] = [];
  let cursor: string | undefined;
  do {
    const page = ctx.store.listJobs({ trace_id: inputs.trace_id, sort: 'created_at_asc', limit: PAGE, ...(cursor ? { cursor } : {}) });
    jobs.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor && jobs.length < MAX_JOBS);
  if (jobs.length === 0) throw new ExecutorFailure('target_not_found', `no job has trace_id ${inputs.trace_id}`);
  return jobs.slice(0, MAX_JOBS);
}

/** env.json (§10.5.6): versions, platform, the model runtime and whether it answered, settings. */
function environmentFile(env: BundleEnvironment, mode: string, redactor: Redactor): unknown {
  return redactor.redactValue({
    schema_version: 'hsk.env.v0',
    app_version: env.app_version,
    host: env.host,
    platform: process.platform,
    arch: process.arch,
    node_version: process.versions.node,
    electron_version: process.versions.electron ?? null,
    model_runtime: {
      kind: env.model_runtime.kind,
      model_id: env.model_runtime.model_id,
      reachable: env.model_runtime.reachability.reachable,
      models: env.model_runtime.reachability.models,
      checked_at: env.model_runtime.reachability.checked_at,
    },
    settings: { flight_recorder_retention_days: env.retention_days, redaction_mode: mode, allow_terminal: env.allow_terminal },
  });
}

/**
 * retention_report.json: what the Flight Recorder had purged before this export. A job created
 * before the purge cutoff has lost its early events; a job whose job_created event is gone says so.
 */
function retentionReport(env: BundleEnvironment, jobs: readonly AiJob[], events: readonly FlightEvent[], purgedBefore: string | null): unknown {
  const created = new Set(events.filter((event) => event.type === 'job_created').map((event) => event.job_id));
  return {
    flight_recorder_retention_days: env.retention_days,
    purged_before: purgedBefore,
    jobs: jobs.map((job) => {
      const affected = purgedBefore !== null && job.created_at < purgedBefore;
      return {
        job_id: job.job_id,
        created_at: job.created_at,
        events_purged: affected,
        job_created_event_missing: !created.has(job.job_id),
        reason: affected ? `events older than ${purgedBefore} were removed by the ${env.retention_days}-day retention window` : null,
      };
    }),
  };
}

/** repro.md: how to submit the same job again on a fresh data dir, and what happened this time. */
function reproInstructions(jobs: readonly AiJob[], env: BundleEnvironment, mode: BundleInputs['redaction_mode'], redactor: Redactor): string {
  const flags = [`--model-runtime ${env.model_runtime.kind}`, ...(jobs.some((job) => job.consent_profile_id !== 'hsk.consent.none.v0') ? ['--allow-terminal'] : [])];
  const lines = ['# Reproducing this bundle', '', `1. Start a host on a fresh data dir: \`npm run serve -- --data-dir NEW_DIR ${flags.join(' ')}\``, '2. Submit each job below with `jobs.create` (job_inputs are shown as exported: redacted or hashed).', '3. Compare the state and status_reason with the observed ones.', ''];
  for (const job of jobs) {
    const submission = { job_kind: job.job_kind, protocol_id: job.protocol_id, access_mode: job.access_mode, safety_mode: job.safety_mode, task_schema_version: job.task_schema_version, entity_refs: job.entity_refs, job_inputs: payloadView(job.job_inputs, mode, redactor) };
    lines.push(`## ${job.job_kind} ${job.job_id}`, '', '```json', JSON.stringify(redactor.redactValue(submission), null, 2), '```', '', `Observed: \`${job.state}\` (${job.status_reason})${job.error_message ? `: ${redactor.redactText(job.error_message)}` : ''}`, '');
  }
  return `${lines.join('\n')}\n`;
}

async function exportBundle(inputs: BundleInputs, env: BundleEnvironment, ctx: ExecutorContext): Promise<ExecutorResult> {
  ctx.signal.throwIfAborted();
  const mode = inputs.redaction_mode ?? 'SAFE_DEFAULT';
  const scope = inputs.scope ?? 'job';
  const jobs = jobsInScope(ctx, inputs);
  const jobIds = jobs.map((job) => job.job_id);
  const runs = jobs.flatMap((job) => ctx.store.listRuns(job.job_id));
  const { events, truncated, purgedBefore } = collectEvents(ctx, scope === 'job' ? { job_id: jobIds[0] as string } : { trace_id: inputs.trace_id as string });
  const redactor = new Redactor();

  const jobViews = jobs.map((job) =>
    redactor.redactValue({ ...job, job_inputs: payloadView(job.job_inputs, mode, redactor), job_outputs: payloadView(job.job_outputs, mode, redactor) }),
  );
  const runsView = runs.map((run) => ({
    ...run,
    nodes: run.nodes.map((node) => ({
      ...node,
      input_payload: payloadView(node.input_payload, mode, redactor),
      output_payload: payloadView(node.output_payload, mode, redactor),
    })),
  }));
  const files: Array<{ name: string; data: Buffer }> = [
    scope === 'job' ? { name: 'job.json', data: json(jobViews[0]) } : { name: 'jobs.json', data: json(jobViews) },
    { name: 'runs.json', data: json(redactor.redactValue(runsView)) },
    { name: 'metrics.json', data: json(scope === 'job' ? { job_id: jobIds[0], metrics: jobs[0]?.metrics } : jobs.map((job) => ({ job_id: job.job_id, metrics: job.metrics }))) },
    {
      name: 'trace.jsonl',
      data: Buffer.from(events.map((event) => `${JSON.stringify(redactor.redactValue(event))}\n`).join(''), 'utf8'),
    },
    { name: 'env.json', data: json(environmentFile(env, mode, redactor)) },
    { name: 'retention_report.json', data: json(retentionReport(env, jobs, events, purgedBefore)) },
    { name: 'repro.md', data: Buffer.from(reproInstructions(jobs, env, mode, redactor), 'utf8') },
  ];
  files.push({
    name: 'redaction_report.json',
    data: json({ redaction_mode: mode, replacements: redactor.report.total, by_detector: redactor.report.counts }),
  });

  const bundleId = ctx.job.job_id;
  const fileEntries = files.map((file) => ({ path: file.name, sha256: sha256(file.data), size_bytes: file.data.length }));
  const manifestBody = {
    schema_version: 'hsk.debug_bundle.v0',
    bundle_id: bundleId,
    created_at: new Date().toISOString(),
    scope,
    ...(scope === 'trace' ? { trace_id: inputs.trace_id } : {}),
    redaction_mode: mode,
    included_job_ids: jobIds,
    event_count: events.length,
    missing_evidence: truncated ? [{ kind: 'events', reason: `more than ${MAX_EVENTS} events; the oldest ${MAX_EVENTS} are included` }] : [],
    files: fileEntries,
  };
  const bundleHash = sha256(`${JSON.stringify(manifestBody)}\n${fileEntries.map((f) => f.sha256).sort().join('\n')}`);
  files.push({ name: 'bundle_manifest.json', data: json({ ...manifestBody, bundle_hash: bundleHash }) });

  const bundlesDir = path.join(ctx.dataDir, 'bundles');
  const directory = path.join(bundlesDir, bundleId);
  fs.mkdirSync(directory, { recursive: true });
  for (const file of files) fs.writeFileSync(path.join(directory, file.name), file.data);
  const zipPath = path.join(bundlesDir, `${bundleId}.zip`);
  fs.writeFileSync(zipPath, deterministicZip(files));
  ctx.signal.throwIfAborted();

  ctx.addMetrics({ entities_read: jobs.length + runs.length, entities_written: 1 });
  ctx.recordEvent({
    type: 'debug_bundle_export',
    actor: 'agent',
    payload: {
      bundle_id: bundleId,
      // FR-EVT-005 has no trace scope; a trace bundle is a set of jobs, recorded as `job` with all of them.
      scope: 'job',
      redaction_mode: mode,
      included_job_ids: jobIds,
      event_count: events.length,
      path: dataRef(ctx.dataDir, zipPath),
    },
  });
  return {
    status: truncated ? 'completed_with_issues' : 'completed',
    reason: truncated ? 'events_truncated' : 'bundle_written',
    outputs: {
      bundle_id: bundleId,
      scope,
      path: zipPath,
      directory,
      bundle_hash: bundleHash,
      redaction_mode: mode,
      target_job_id: scope === 'job' ? (jobIds[0] as string) : null,
      trace_id: scope === 'trace' ? (inputs.trace_id as string) : null,
      included_job_ids: jobIds,
      event_count: events.length,
      files: fileEntries,
    },
  };
}

export function debugBundleExecutor(environment: () => BundleEnvironment = () => UNKNOWN_ENVIRONMENT): ExecutorEntry {
  return {
    type: 'node',
    runtimeId: 'executor:debug_bundle_export',
    prepare(raw) {
      const parsed = BundleInputsSchema.safeParse(raw);
      if (!parsed.success) throw invalidInputs('debug_bundle_export', parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
      const inputs = parsed.data;
      return { timeoutMs: 300_000, run: (ctx) => exportBundle(inputs, environment(), ctx) };
    },
  };
}
