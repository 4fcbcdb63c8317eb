/**
 * Capability profiles and what each job kind needs (spec-digest §7). The main process chooses a
 * job's profile from its kind, protocol and access mode; the caller never does. A profile is only a
 * whitelist of registry ids (§11.1).
 */
import type { AccessMode, JobKind } from '../../src-shared/enums';
import { GOVERNANCE_PACK_PROTOCOL } from '../../src-shared/protocols';
import type { CapabilityId } from './registry';

const READ_ONLY = ['doc.read', 'doc.summarize', 'model.call', 'fs.read', 'jobs.read', 'fr.read', 'diagnostics.read', 'export.debug_bundle'] as const;

export const CAPABILITY_PROFILES = {
  Analyst: READ_ONLY,
  Editor: [...READ_ONLY, 'doc.write'],
  Coder: ['doc.read', 'doc.write', 'doc.summarize', 'model.call', 'terminal.exec', 'fs.read', 'jobs.read'],
  Operator: ['fs.read', 'fs.write', 'export.governance_pack', 'jobs.read', 'fr.read'],
} as const satisfies Record<string, readonly CapabilityId[]>;
export type CapabilityProfileId = keyof typeof CAPABILITY_PROFILES;

/** Capabilities with side effects outside the derived layer: granted only under apply_scoped. */
export const SIDE_EFFECT_CAPABILITIES: ReadonlySet<CapabilityId> = new Set<CapabilityId>(['doc.write', 'fs.write', 'terminal.exec', 'export.governance_pack']);

const MODEL_TASK = ['fs.read', 'doc.read', 'doc.summarize', 'model.call'] as const;

/** What a node of each kind needs before it runs; `satisfies Record<JobKind, ...>` keeps it total. */
const KIND_CAPABILITIES = {
  doc_edit: MODEL_TASK,
  doc_rewrite: MODEL_TASK,
  doc_summarize: MODEL_TASK,
  sheet_transform: MODEL_TASK,
  canvas_cluster: MODEL_TASK,
  spec_router: MODEL_TASK,
  distillation_eval: MODEL_TASK,
  asr_transcribe: ['fs.read', 'model.call'],
  // A workflow needs nothing itself; each step is checked as the node it is.
  workflow_run: [],
  debug_bundle_export: ['export.debug_bundle', 'fr.read', 'diagnostics.read', 'jobs.read'],
  terminal_exec: ['terminal.exec'],
  doc_ingest: ['doc.read', 'fs.read'],
} as const satisfies Record<JobKind, readonly CapabilityId[]>;

/** Kinds that propose changes to documents: applying them (apply_scoped) needs doc.write. */
const PROPOSES_EDITS: ReadonlySet<JobKind> = new Set<JobKind>(['doc_edit', 'doc_rewrite', 'sheet_transform']);

/** Access modes a kind may run under (spec-digest §7.3); a kind not listed accepts any. */
export const REQUIRED_ACCESS_MODE: Partial<Record<JobKind, AccessMode>> = {
  terminal_exec: 'apply_scoped',
  distillation_eval: 'analysis_only',
};

function isGovernanceExport(kind: JobKind, protocolId: string): boolean {
  return kind === 'workflow_run' && protocolId === GOVERNANCE_PACK_PROTOCOL;
}

/** The profile the main process assigns to a new job: the least one that covers what it may do. */
export function profileForJob(kind: JobKind, protocolId: string, accessMode: AccessMode): CapabilityProfileId {
  if (isGovernanceExport(kind, protocolId)) return 'Operator';
  if (accessMode !== 'apply_scoped') return 'Analyst';
  if (kind === 'terminal_exec' || kind === 'workflow_run') return 'Coder';
  return PROPOSES_EDITS.has(kind) ? 'Editor' : 'Analyst';
}

/** What a node of `kind` needs before it runs, under the job's protocol and access mode. */
export function requiredCapabilities(kind: JobKind, protocolId: string, accessMode: AccessMode): readonly CapabilityId[] {
  if (isGovernanceExport(kind, protocolId)) return ['fs.read', 'fs.write', 'export.governance_pack'];
  const own: readonly CapabilityId[] = KIND_CAPABILITIES[kind];
  return accessMode === 'apply_scoped' && PROPOSES_EDITS.has(kind) ? [...own, 'doc.write'] : own;
}

export function profileCapabilities(profileId: string): readonly CapabilityId[] | null {
  return Object.hasOwn(CAPABILITY_PROFILES, profileId)
    ? CAPABILITY_PROFILES[profileId as CapabilityProfileId]
    : null;
}
