/**
 * Reads a debug bundle ZIP as src-main/executors/debug-bundle.ts writes it: unzips it in memory,
 * checks every file's SHA-256 against bundle_manifest.json and the manifest's own bundle_hash,
 * and parses the records with the contract's schemas. Nothing is written anywhere. A file that
 * does not match is flagged rather than hidden, so a person can still look at what it holds.
 */
import { createHash } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { z } from 'zod';
import { ERROR_CODES, HskError } from '../../src-shared/errors';
import { FlightEventSchema, type FlightEvent } from '../../src-shared/events';
import type { BundleFileCheck, BundleStatus } from '../../src-shared/inspector-views';
import { parseJobKind } from '../../src-shared/enums';
import { AiJobSchema, WorkflowRunSchema, defaultLayerScope, type AiJob, type WorkflowRun } from '../../src-shared/job';
import { unrecordedModelFields } from '../store/rows';

export const MANIFEST_NAME = 'bundle_manifest.json';
const MAX_ENTRIES = 64;
const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
const MAX_PROBLEMS = 50;

const ManifestSchema = z.looseObject({
  bundle_id: z.string().optional(),
  created_at: z.string().optional(),
  redaction_mode: z.string().optional(),
  bundle_hash: z.string().optional(),
  files: z.array(z.looseObject({ path: z.string(), sha256: z.string() })),
});
/** The parsed manifest, and the JSON as written: zod reorders keys, and the hash covers the written order. */
type Manifest = z.infer<typeof ManifestSchema> & { raw: Record<string, unknown> };

export interface OpenedBundle {
  status: Extract<BundleStatus, { mode: 'bundle' }>;
  job: AiJob | null;
  runs: WorkflowRun[];
  events: FlightEvent[];
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function unzip(bytes: Uint8Array): Record<string, Uint8Array> {
  let entries = 0;
  try {
    return unzipSync(bytes, {
      filter(file) {
        entries += 1;
        if (entries > MAX_ENTRIES || file.originalSize > MAX_ENTRY_BYTES) {
          throw new HskError(ERROR_CODES.invalidBundle, `bundle has more than ${MAX_ENTRIES} files or a file over ${MAX_ENTRY_BYTES} bytes`);
        }
        return !file.name.endsWith('/');
      },
    });
  } catch (error) {
    if (error instanceof HskError) throw error;
    throw new HskError(ERROR_CODES.invalidBundle, `not a readable ZIP file: ${(error as Error).message}`);
  }
}

class Problems {
  readonly list: string[] = [];
  private dropped = 0;
  add(problem: string): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push(problem);
    else this.dropped += 1;
  }
  all(): string[] {
    return this.dropped > 0 ? [...this.list, `…and ${this.dropped} more`] : this.list;
  }
}

function describe(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`).join('; ');
}

function parseJson(name: string, text: string, problems: Problems): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    problems.add(`${name} is not valid JSON`);
    return undefined;
  }
}

function readManifest(entries: Record<string, Uint8Array>, problems: Problems): Manifest | null {
  const raw = entries[MANIFEST_NAME];
  if (!raw) {
    problems.add(`${MANIFEST_NAME} is missing: no file can be checked`);
    return null;
  }
  const value = parseJson(MANIFEST_NAME, strFromU8(raw), problems);
  const parsed = ManifestSchema.safeParse(value);
  if (!parsed.success) {
    problems.add(`${MANIFEST_NAME} is not a bundle manifest (${describe(parsed.error)})`);
    return null;
  }
  return { ...parsed.data, raw: value as Record<string, unknown> };
}

/** The manifest's bundle_hash covers its own body and the sorted file hashes, as the exporter computed it. */
function manifestIntact(manifest: Manifest | null): boolean {
  if (!manifest?.bundle_hash) return false;
  const { bundle_hash: claimed, ...body } = manifest.raw;
  const hashes = manifest.files.map((file) => file.sha256).sort().join('\n');
  return sha256(`${JSON.stringify(body)}\n${hashes}`) === claimed;
}

export function checkFiles(entries: Record<string, Uint8Array>, manifest: Manifest | null): BundleFileCheck[] {
  const listed = new Map((manifest?.files ?? []).map((file) => [file.path, file.sha256]));
  const checks: BundleFileCheck[] = [...listed].map(([path, expected]) => {
    const data = entries[path];
    if (!data) return { path, status: 'missing', expected_sha256: expected, actual_sha256: null, size_bytes: null };
    const actual = sha256(data);
    return { path, status: actual === expected ? 'ok' : 'modified', expected_sha256: expected, actual_sha256: actual, size_bytes: data.length };
  });
  for (const [path, data] of Object.entries(entries)) {
    if (path === MANIFEST_NAME || listed.has(path)) continue;
    checks.push({ path, status: 'unlisted', expected_sha256: null, actual_sha256: sha256(data), size_bytes: data.length });
  }
  return checks.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * A job.json exported before the job-model fields existed (migration 6) is read with the explicit
 * values that migration gives stored jobs of that age (runtime `unrecorded`, consent `not_recorded`
 * for commands, never a consent nobody gave), and the bundle says so.
 */
function withOlderExportDefaults(raw: unknown, problems: Problems): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || 'task_schema_version' in raw) return raw;
  const job = raw as Record<string, unknown>;
  const kind = parseJobKind(job.job_kind);
  if (!kind.ok || typeof job.job_id !== 'string') return raw;
  const fields = unrecordedModelFields(kind.kind, job.job_id, job.job_inputs, typeof job.workflow_run_id === 'string');
  problems.add('job.json predates the job-model fields; they are shown with the values migration 6 gives jobs stored before it');
  return {
    ...job,
    task_schema_version: fields.task_schema_version,
    workspace_scope: fields.workspace_scope,
    execution_mode: fields.execution_mode,
    runtime_id: fields.runtime_id,
    flight_recorder_span_id: fields.flight_recorder_span_id,
    consent_profile_id: fields.consent_profile_id,
    consent: { decision: fields.consent_decision, source: null, decided_at: null, expires_at: null },
    layer_scope: defaultLayerScope(),
  };
}

function readJob(entries: Record<string, Uint8Array>, problems: Problems): AiJob | null {
  const raw = entries['job.json'];
  if (!raw) return null;
  const parsed = AiJobSchema.safeParse(withOlderExportDefaults(parseJson('job.json', strFromU8(raw), problems), problems));
  if (parsed.success) return parsed.data;
  problems.add(`job.json: ${describe(parsed.error)}`);
  return null;
}

function readRuns(entries: Record<string, Uint8Array>, problems: Problems): WorkflowRun[] {
  const raw = entries['runs.json'];
  if (!raw) return [];
  const value = parseJson('runs.json', strFromU8(raw), problems);
  if (!Array.isArray(value)) {
    if (value !== undefined) problems.add('runs.json: expected a list of runs');
    return [];
  }
  return value.flatMap((item, index) => {
    const parsed = WorkflowRunSchema.safeParse(item);
    if (parsed.success) return [parsed.data];
    problems.add(`runs.json run ${index + 1}: ${describe(parsed.error)}`);
    return [];
  });
}

function readEvents(entries: Record<string, Uint8Array>, problems: Problems): FlightEvent[] {
  const raw = entries['trace.jsonl'];
  if (!raw) return [];
  const events: FlightEvent[] = [];
  strFromU8(raw).split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const parsed = FlightEventSchema.safeParse(parseJson(`trace.jsonl line ${index + 1}`, line, problems));
    if (parsed.success) events.push(parsed.data);
    else problems.add(`trace.jsonl line ${index + 1}: ${describe(parsed.error)}`);
  });
  return events;
}

export function readBundle(bytes: Uint8Array, fileName: string): OpenedBundle {
  const entries = unzip(bytes);
  const problems = new Problems();
  const manifest = readManifest(entries, problems);
  const files = checkFiles(entries, manifest);
  const intact = manifestIntact(manifest);
  if (manifest && !intact) problems.add(`${MANIFEST_NAME}: bundle_hash does not match the manifest; the manifest itself was altered`);
  const job = readJob(entries, problems);
  const runs = readRuns(entries, problems);
  const events = readEvents(entries, problems);
  return {
    status: {
      mode: 'bundle',
      file_name: fileName,
      bundle_id: manifest?.bundle_id ?? null,
      created_at: manifest?.created_at ?? null,
      redaction_mode: manifest?.redaction_mode ?? null,
      manifest_intact: intact,
      tampered: !intact || files.some((file) => file.status !== 'ok'),
      files,
      problems: problems.all(),
    },
    job,
    runs,
    events,
  };
}
