/**
 * debug_bundle_export: writes one job's evidence (record, runs with node executions, its Flight
 * Recorder events, metrics) as a directory and a deterministic ZIP under <dataDir>/bundles/, with a
 * manifest holding each file's SHA-256 and the bundle hash (§10.5.6). Redaction is on by default.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isHskError } from '../../src-shared/errors';
import type { FlightEvent } from '../../src-shared/events';
import { UuidSchema } from '../../src-shared/job';
import { Redactor } from '../security/redact';
import { dataRef } from './artifacts';
import { ExecutorFailure, invalidInputs, type ExecutorContext, type ExecutorEntry, type ExecutorResult } from './types';
import { deterministicZip } from './zip';

const BundleInputs = z.strictObject({
  target_job_id: UuidSchema,
  // FULL_LOCAL is never exportable without a policy that allows it (§10.5.6); there is none.
  redaction_mode: z.enum(['SAFE_DEFAULT', 'WORKSPACE']).optional(),
});
type BundleInputs = z.infer<typeof BundleInputs>;

/** Spec limit on events per bundle (§10.5.6 profile constants). */
const MAX_EVENTS = 10_000;
const PAGE = 500;

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function json(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

function collectEvents(ctx: ExecutorContext, jobId: string): { events: FlightEvent[]; truncated: boolean } {
  const events: FlightEvent[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = ctx.store.listEvents({ job_id: jobId, order: 'asc', limit: PAGE, ...(cursor ? { cursor } : {}) });
    events.push(...page.items);
    if (events.length >= MAX_EVENTS) return { events: events.slice(0, MAX_EVENTS), truncated: true };
    if (!page.next_cursor) return { events, truncated: false };
    cursor = page.next_cursor;
  }
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

async function exportBundle(inputs: BundleInputs, ctx: ExecutorContext): Promise<ExecutorResult> {
  ctx.signal.throwIfAborted();
  const mode = inputs.redaction_mode ?? 'SAFE_DEFAULT';
  let target;
  try {
    target = ctx.store.getJob(inputs.target_job_id);
  } catch (error) {
    if (isHskError(error) && error.code === 'HSK-404-NOT-FOUND') {
      throw new ExecutorFailure('target_not_found', `no job ${inputs.target_job_id} to export`);
    }
    throw error;
  }
  const runs = ctx.store.listRuns(target.job_id);
  const { events, truncated } = collectEvents(ctx, target.job_id);
  const redactor = new Redactor();

  const job = redactor.redactValue({
    ...target,
    job_inputs: payloadView(target.job_inputs, mode, redactor),
    job_outputs: payloadView(target.job_outputs, mode, redactor),
  });
  const runsView = runs.map((run) => ({
    ...run,
    nodes: run.nodes.map((node) => ({
      ...node,
      input_payload: payloadView(node.input_payload, mode, redactor),
      output_payload: payloadView(node.output_payload, mode, redactor),
    })),
  }));
  const files: Array<{ name: string; data: Buffer }> = [
    { name: 'job.json', data: json(job) },
    { name: 'runs.json', data: json(redactor.redactValue(runsView)) },
    { name: 'metrics.json', data: json({ job_id: target.job_id, metrics: target.metrics }) },
    {
      name: 'trace.jsonl',
      data: Buffer.from(events.map((event) => `${JSON.stringify(redactor.redactValue(event))}\n`).join(''), 'utf8'),
    },
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
    scope: 'job',
    redaction_mode: mode,
    included_job_ids: [target.job_id],
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

  ctx.addMetrics({ entities_read: 1 + runs.length, entities_written: 1 });
  ctx.recordEvent({
    type: 'debug_bundle_export',
    actor: 'agent',
    payload: {
      bundle_id: bundleId,
      scope: 'job',
      redaction_mode: mode,
      included_job_ids: [target.job_id],
      event_count: events.length,
      path: dataRef(ctx.dataDir, zipPath),
    },
  });
  return {
    status: truncated ? 'completed_with_issues' : 'completed',
    reason: truncated ? 'events_truncated' : 'bundle_written',
    outputs: {
      bundle_id: bundleId,
      path: zipPath,
      directory,
      bundle_hash: bundleHash,
      redaction_mode: mode,
      target_job_id: target.job_id,
      event_count: events.length,
      files: fileEntries,
    },
  };
}

export const debugBundleExecutor: ExecutorEntry = {
  type: 'node',
  prepare(raw) {
    const parsed = BundleInputs.safeParse(raw);
    if (!parsed.success) throw invalidInputs('debug_bundle_export', 'expected { target_job_id: uuid, redaction_mode?: SAFE_DEFAULT | WORKSPACE }');
    const inputs = parsed.data;
    return { timeoutMs: 300_000, run: (ctx) => exportBundle(inputs, ctx) };
  },
};
