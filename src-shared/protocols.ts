/**
 * The protocol registry: which protocol ids each kind accepts, with their versions. The submit
 * dialog's defaults and the seed come from here, jobs.create refuses a protocol id not listed for
 * the kind, and the engine refuses to re-run a stored job whose protocol or task schema version
 * this build does not know (S21: kept as read-only provenance, re-running fails deterministically).
 */
import type { JobKind } from './enums';

export interface ProtocolEntry {
  protocol_id: string;
  version: string;
}

/** Protocol ids end in their version: `hsk.docs.edit.v0` is version `v0` of `hsk.docs.edit`. */
const VERSIONED_ID = /^(?<family>[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*)\.(?<version>v\d+)$/;

function entry(protocol_id: string): ProtocolEntry {
  const version = VERSIONED_ID.exec(protocol_id)?.groups?.version;
  if (!version) throw new Error(`protocol id ${protocol_id} has no version suffix`);
  return { protocol_id, version };
}

/**
 * The governance pack export is a workflow_run with this protocol (the legacy kind
 * `governance_pack_export` becomes it on import).
 */
export const GOVERNANCE_PACK_PROTOCOL = 'hsk.governance_pack.export.v0';

/** The protocol of the debug bundle export job that bundles.export creates. */
export const BUNDLE_EXPORT_PROTOCOL = 'hsk.bundle.export.v0';

/** The first entry of each list is the kind's default. */
export const PROTOCOLS = {
  doc_edit: [entry('hsk.docs.edit.v0')],
  doc_rewrite: [entry('hsk.docs.rewrite.v0')],
  doc_summarize: [entry('hsk.docs.summarize.v0')],
  sheet_transform: [entry('hsk.sheets.transform.v0')],
  canvas_cluster: [entry('hsk.canvas.cluster.v0')],
  asr_transcribe: [entry('hsk.asr.transcribe.v0')],
  workflow_run: [entry('hsk.workflow.v0'), entry(GOVERNANCE_PACK_PROTOCOL)],
  spec_router: [entry('hsk.spec.router.v0')],
  debug_bundle_export: [entry(BUNDLE_EXPORT_PROTOCOL)],
  terminal_exec: [entry('hsk.terminal.exec.v0')],
  doc_ingest: [entry('hsk.docs.ingest.v0')],
  distillation_eval: [entry('hsk.distill.eval.v0')],
} as const satisfies Record<JobKind, readonly [ProtocolEntry, ...ProtocolEntry[]]>;

/** The task schema versions (SemVer) this build can run; new jobs get the first. */
export const TASK_SCHEMA_VERSIONS = ['1.0.0'] as const;
export const CURRENT_TASK_SCHEMA_VERSION = TASK_SCHEMA_VERSIONS[0];
export const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

export function defaultProtocol(kind: JobKind): string {
  return PROTOCOLS[kind][0].protocol_id;
}

export function protocolsOf(kind: JobKind): readonly string[] {
  return PROTOCOLS[kind].map((protocol) => protocol.protocol_id);
}

export function isKnownTaskSchemaVersion(version: string): boolean {
  return (TASK_SCHEMA_VERSIONS as readonly string[]).includes(version);
}

export type ProtocolCheck =
  | { ok: true; entry: ProtocolEntry }
  | { ok: false; reason: 'unknown_protocol' | 'unknown_protocol_version'; message: string };

/**
 * Is `protocolId` one this build runs for `kind`? A known family with another version (e.g.
 * `hsk.docs.edit.v7`) is an unknown *version*, told apart so the reason can name it.
 */
export function checkProtocol(kind: JobKind, protocolId: string): ProtocolCheck {
  const known = PROTOCOLS[kind].find((protocol) => protocol.protocol_id === protocolId);
  if (known) return { ok: true, entry: known };
  const expected = protocolsOf(kind).join(', ');
  const groups = VERSIONED_ID.exec(protocolId)?.groups;
  const sameFamily = PROTOCOLS[kind].find((protocol) => groups && protocol.protocol_id === `${groups.family}.${protocol.version}`);
  if (groups && sameFamily) {
    return {
      ok: false,
      reason: 'unknown_protocol_version',
      message: `protocol ${protocolId}: version ${groups.version} is unknown to this build; ${kind} runs ${expected}`,
    };
  }
  return {
    ok: false,
    reason: 'unknown_protocol',
    message: `unknown protocol_id ${JSON.stringify(protocolId.slice(0, 64))} for ${kind}; expected ${expected}`,
  };
}
