/**
 * debug_bundle_export: writes the evidence of a scope — a job (record, runs with node executions,
 * metrics), a problem or a time window — with its Flight Recorder events, the diagnostics in scope
 * and a coder_prompt.md (bundle-scope.ts decides what is in scope), as a directory and a
 * deterministic ZIP under <dataDir>/bundles/, with a manifest holding each file's SHA-256 and the
 * bundle hash (§10.5.6). Redaction is on by default.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostic, DiagnosticSeverity } from '../../src-shared/diagnostics';
import { DIAGNOSTIC_SEVERITIES } from '../../src-shared/diagnostics';
import type { AiJob } from '../../src-shared/job';
import { buildCoderPrompt } from '../diagnostics/coder-prompt';
import { otlpJsonLines } from '../otel/otlp-export';
import { jobHistorySpans } from '../otel/spans';
import { Redactor } from '../security/redact';
import { dataRef } from './artifacts';
import { BundleInputs, collectScope, type ScopeContents } from './bundle-scope';
import { invalidInputs, type ExecutorContext, type ExecutorEntry, type ExecutorResult } from './types';
import { deterministicZip } from './zip';

/** How many ids the debug_bundle_export event lists per kind (the manifest lists them all). */
const EVENT_ID_LIST_LIMIT = 500;

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

/** The job scope keeps its single-job files (job, runs, metrics); other scopes list their jobs. */
function jobFiles(contents: ScopeContents, ctx: ExecutorContext, mode: Mode, redactor: Redactor): Array<{ name: string; data: Buffer }> {
  const [target] = contents.jobs;
  if (contents.scope !== 'job' || !target) return [{ name: 'jobs.json', data: json(contents.jobs.map((job) => jobView(job, mode, redactor))) }];
  const runs = ctx.store.listRuns(target.job_id).map((run) => ({
    ...run,
    nodes: run.nodes.map((node) => ({
      ...node,
      input_payload: payloadView(node.input_payload, mode, redactor),
      output_payload: payloadView(node.output_payload, mode, redactor),
    })),
  }));
  return [
    { name: 'job.json', data: json(jobView(target, mode, redactor)) },
    { name: 'runs.json', data: json(redactor.redactValue(runs)) },
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

async function exportBundle(inputs: BundleInputs, ctx: ExecutorContext): Promise<ExecutorResult> {
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
      scope: contents.scope,
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
      event_count: contents.events.length,
      diagnostic_count: contents.diagnostics.length,
      missing_evidence: contents.missing.map((entry) => ({ kind: entry.kind, reason: entry.reason })),
      files: fileEntries,
    },
  };
}

export const debugBundleExecutor: ExecutorEntry = {
  type: 'node',
  prepare(raw) {
    const parsed = BundleInputs.safeParse(raw);
    if (!parsed.success) {
      throw invalidInputs('debug_bundle_export', "expected { target_job_id } or { scope: 'problem', fingerprint } or { scope: 'time_window', from, to }, each with redaction_mode?: SAFE_DEFAULT | WORKSPACE");
    }
    const inputs = parsed.data;
    return { timeoutMs: 300_000, run: (ctx) => exportBundle(inputs, ctx) };
  },
};
