/**
 * debug_bundle_export: writes the evidence of a scope — a job (record, runs with node executions,
 * metrics), every job of a trace, a problem or a time window — with its Flight Recorder events, the
 * diagnostics in scope and a coder_prompt.md (bundle-scope.ts decides what is in scope), plus
 * env.json (versions, platform, model runtime and whether it was reachable, settings; no paths or
 * secrets), a retention report (what the Flight Recorder had already purged) and repro
 * instructions, as a directory and a deterministic ZIP under <dataDir>/bundles/, with a manifest
 * holding each file's SHA-256 and the bundle hash (§10.5.6). Redaction is on by default.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostic, DiagnosticSeverity } from '../../src-shared/diagnostics';
import { DIAGNOSTIC_SEVERITIES } from '../../src-shared/diagnostics';
import type { FlightEvent } from '../../src-shared/events';
import type { RuntimeReachability } from '../../src-shared/ipc';
import type { AiJob } from '../../src-shared/job';
import { BundleInputsSchema, type BundleInputs } from '../../src-shared/job-inputs';
import { buildCoderPrompt } from '../diagnostics/coder-prompt';
import { otlpJsonLines } from '../otel/otlp-export';
import { jobHistorySpans } from '../otel/spans';
import type { ModelRuntimeDescription } from '../model-runtime/runtime';
import { Redactor } from '../security/redact';
import { dataRef } from './artifacts';
import { collectScope, type ScopeContents } from './bundle-scope';
import { invalidInputs, type ExecutorContext, type ExecutorEntry, type ExecutorResult } from './types';
import { deterministicZip } from './zip';

/** How many ids the debug_bundle_export event lists per kind (the manifest lists them all). */
const EVENT_ID_LIST_LIMIT = 500;

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

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function json(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

function jsonLines(values: readonly unknown[]): Buffer {
  return Buffer.from(values.map((value) => `${JSON.stringify(value)}\n`).join(''), 'utf8');
}

/** SAFE_DEFAULT: payloads become a hash plus a short redacted preview (§5.6). */
function payloadView(value: unknown, mode: BundleInputs['redaction_mode'], redactor: Redactor): unknown {
  if (value === null || value === undefined) return null;
  if (mode === 'WORKSPACE') return redactor.redactValue(value);
  const text = JSON.stringify(value);
  // Redacted whole, then cut: a cut first could leave half a key that no detector recognises.
  const masked = JSON.stringify(redactor.maskSecretKeys(value));
  return { sha256: sha256(text), preview: redactor.redactText(masked).slice(0, 200) };
}

type Mode = BundleInputs['redaction_mode'];

function jobView(job: AiJob, mode: Mode, redactor: Redactor): unknown {
  return redactor.redactValue({ ...job, job_inputs: payloadView(job.job_inputs, mode, redactor), job_outputs: payloadView(job.job_outputs, mode, redactor) });
}

function runsView(jobs: readonly AiJob[], ctx: ExecutorContext, mode: Mode, redactor: Redactor): unknown {
  const runs = jobs.flatMap((job) => ctx.store.listRuns(job.job_id)).map((run) => ({
    ...run,
    nodes: run.nodes.map((node) => ({
      ...node,
      input_payload: payloadView(node.input_payload, mode, redactor),
      output_payload: payloadView(node.output_payload, mode, redactor),
    })),
  }));
  return redactor.redactValue(runs);
}

/**
 * The job scope keeps its single-job files (job, runs, metrics). A trace bundle lists its jobs and
 * carries every run (with node executions) and each job's metrics; a problem or time-window bundle
 * lists its jobs (their runs are in traces.otlp.jsonl).
 */
function jobFiles(contents: ScopeContents, ctx: ExecutorContext, mode: Mode, redactor: Redactor): Array<{ name: string; data: Buffer }> {
  const [target] = contents.jobs;
  const jobsFile = { name: 'jobs.json', data: json(contents.jobs.map((job) => jobView(job, mode, redactor))) };
  if (contents.scope === 'trace') {
    return [
      jobsFile,
      { name: 'runs.json', data: json(runsView(contents.jobs, ctx, mode, redactor)) },
      { name: 'metrics.json', data: json(contents.jobs.map((job) => ({ job_id: job.job_id, metrics: job.metrics }))) },
    ];
  }
  if (contents.scope !== 'job' || !target) return [jobsFile];
  return [
    { name: 'job.json', data: json(jobView(target, mode, redactor)) },
    { name: 'runs.json', data: json(runsView([target], ctx, mode, redactor)) },
    { name: 'metrics.json', data: json({ job_id: target.job_id, metrics: target.metrics }) },
  ];
}

const SEVERITY_RANK = Object.fromEntries(DIAGNOSTIC_SEVERITIES.map((severity, index) => [severity, index])) as Record<DiagnosticSeverity, number>;

/** The problem the coder prompt describes: the scope's own, else the most severe, newest one in it. */
function promptSubject(contents: ScopeContents, ctx: ExecutorContext): { problem: ScopeContents['problem']; instances: Diagnostic[] } {
  if (contents.problem) return { problem: contents.problem, instances: [...contents.diagnostics] };
  const worst = [...contents.diagnostics].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.timestamp.localeCompare(a.timestamp))[0];
  if (!worst) return { problem: null, instances: [] };
  return { problem: ctx.store.getProblem(worst.fingerprint), instances: contents.diagnostics.filter((d) => d.fingerprint === worst.fingerprint).reverse() };
}

/** The same evidence as OpenTelemetry traces, for Jaeger, Tempo, Langfuse or Phoenix (redacted like every file). */
function otlpTraces(contents: ScopeContents, ctx: ExecutorContext, redactor: Redactor): Buffer {
  const eventsTruncated = contents.missing.some((missing) => missing.kind === 'events');
  const histories = contents.jobs.map((job) => ({
    job,
    runs: ctx.store.listRuns(job.job_id),
    events: contents.events.filter((event) => event.job_id === job.job_id),
    eventsTruncated,
  }));
  return Buffer.from(otlpJsonLines(jobHistorySpans(histories, { redactor })), 'utf8');
}

function coderPrompt(contents: ScopeContents, ctx: ExecutorContext, redactor: Redactor): Buffer {
  const subject = promptSubject(contents, ctx);
  const linkedJob = subject.problem?.job_id ? contents.jobs.find((job) => job.job_id === subject.problem?.job_id) : undefined;
  const job = linkedJob ?? (contents.scope === 'job' ? (contents.jobs[0] ?? null) : null);
  const scope = contents.window ? `time window ${contents.window.from} to ${contents.window.to}` : contents.scope;
  return Buffer.from(buildCoderPrompt({ ...subject, job, scope }, redactor), 'utf8');
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
  const contents = collectScope(inputs, ctx.store);
  const redactor = new Redactor();
  const files: Array<{ name: string; data: Buffer }> = [
    ...jobFiles(contents, ctx, mode, redactor),
    { name: 'trace.jsonl', data: jsonLines(contents.events.map((event) => redactor.redactValue(event))) },
    { name: 'traces.otlp.jsonl', data: otlpTraces(contents, ctx, redactor) },
    { name: 'diagnostics.jsonl', data: jsonLines(contents.diagnostics.map((diagnostic) => redactor.redactValue(diagnostic))) },
    ...(contents.problem ? [{ name: 'problem.json', data: json(redactor.redactValue(contents.problem)) }] : []),
    { name: 'coder_prompt.md', data: coderPrompt(contents, ctx, redactor) },
    { name: 'env.json', data: json(environmentFile(env, mode, redactor)) },
    { name: 'retention_report.json', data: json(retentionReport(env, contents.jobs, contents.events, ctx.store.listEvents({ limit: 1 }).purged_before)) },
    { name: 'repro.md', data: Buffer.from(reproInstructions(contents.jobs, env, mode, redactor), 'utf8') },
  ];
  files.push({
    name: 'redaction_report.json',
    data: json({ redaction_mode: mode, replacements: redactor.report.total, by_detector: redactor.report.counts }),
  });

  const bundleId = ctx.job.job_id;
  const includedJobIds = contents.jobs.map((job) => job.job_id);
  const includedDiagnosticIds = contents.diagnostics.map((diagnostic) => diagnostic.id);
  const fileEntries = files.map((file) => ({ path: file.name, sha256: sha256(file.data), size_bytes: file.data.length }));
  const manifestBody = {
    schema_version: 'hsk.debug_bundle.v0',
    bundle_id: bundleId,
    created_at: new Date().toISOString(),
    scope: contents.scope,
    ...(inputs.trace_id ? { trace_id: inputs.trace_id } : {}),
    ...(contents.window ? { time_window: contents.window } : {}),
    ...(contents.problem ? { fingerprint: contents.problem.fingerprint } : {}),
    redaction_mode: mode,
    included_job_ids: includedJobIds,
    included_diagnostic_ids: includedDiagnosticIds,
    event_count: contents.events.length,
    diagnostic_count: contents.diagnostics.length,
    missing_evidence: contents.missing,
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

  const listed = (ids: string[], kind: string) =>
    ids.length > EVENT_ID_LIST_LIMIT ? [{ kind, reason: `${ids.length} included; this event lists the first ${EVENT_ID_LIST_LIMIT}, the manifest lists all` }] : [];
  ctx.addMetrics({ entities_read: contents.jobs.length + contents.diagnostics.length, entities_written: 1 });
  ctx.recordEvent({
    type: 'debug_bundle_export',
    actor: 'agent',
    payload: {
      bundle_id: bundleId,
      // FR-EVT-005 has no trace scope; a trace bundle is a set of jobs, recorded as `job` with all of them.
      scope: contents.scope === 'trace' ? 'job' : contents.scope,
      redaction_mode: mode,
      included_job_ids: includedJobIds.slice(0, EVENT_ID_LIST_LIMIT),
      included_diagnostic_ids: includedDiagnosticIds.slice(0, EVENT_ID_LIST_LIMIT),
      event_count: contents.events.length,
      diagnostic_count: contents.diagnostics.length,
      missing_evidence: [...contents.missing, ...listed(includedJobIds, 'job_id_listing'), ...listed(includedDiagnosticIds, 'diagnostic_id_listing')].slice(0, 50),
      path: dataRef(ctx.dataDir, zipPath),
    },
  });
  const truncated = contents.missing.some((entry) => ['events', 'jobs', 'diagnostics'].includes(entry.kind) && !entry.reason.includes('retention'));
  return {
    status: truncated ? 'completed_with_issues' : 'completed',
    reason: truncated ? 'events_truncated' : 'bundle_written',
    outputs: {
      bundle_id: bundleId,
      path: zipPath,
      directory,
      bundle_hash: bundleHash,
      redaction_mode: mode,
      scope: contents.scope,
      target_job_id: contents.scope === 'job' ? (includedJobIds[0] ?? null) : null,
      trace_id: inputs.trace_id ?? null,
      included_job_ids: includedJobIds,
      event_count: contents.events.length,
      diagnostic_count: contents.diagnostics.length,
      missing_evidence: contents.missing.map((entry) => ({ kind: entry.kind, reason: entry.reason })),
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
      if (!parsed.success) {
        throw invalidInputs(
          'debug_bundle_export',
          "expected { target_job_id } or { scope: 'trace', trace_id } or { scope: 'problem', fingerprint } or { scope: 'time_window', from, to }, each with redaction_mode?: SAFE_DEFAULT | WORKSPACE",
        );
      }
      const inputs = parsed.data;
      return { timeoutMs: 300_000, run: (ctx) => exportBundle(inputs, environment(), ctx) };
    },
  };
}
