/**
 * Capability profiles and what each job kind needs (original `capabilities.rs`, spec-digest §7).
 * The main process decides a job's profile from its canonical kind and protocol; the renderer
 * never chooses it. A profile is only a whitelist of registry ids (§11.1).
 */
import type { AccessMode, JobKind } from '../../src-shared/enums';
import { GOVERNANCE_PACK_PROTOCOL } from '../../src-shared/protocols';
import type { CapabilityId } from './registry';

export const CAPABILITY_PROFILES = {
  Analyst: ['doc.read', 'doc.summarize', 'fs.read', 'jobs.read', 'fr.read', 'diagnostics.read', 'export.debug_bundle'],
  Coder: ['doc.read', 'doc.write', 'doc.summarize', 'terminal.exec', 'fs.read', 'jobs.read'],
  Operator: ['fs.read', 'fs.write', 'export.governance_pack', 'jobs.read', 'fr.read'],
} as const satisfies Record<string, readonly CapabilityId[]>;
export type CapabilityProfileId = keyof typeof CAPABILITY_PROFILES;

export { GOVERNANCE_PACK_PROTOCOL };

/** What each canonical kind needs; `satisfies Record<JobKind, ...>` keeps it total. */
const KIND_CAPABILITIES = {
  doc_edit: ['doc.read', 'doc.write'],
  doc_rewrite: ['doc.read', 'doc.write'],
  doc_summarize: ['doc.read', 'doc.summarize'],
  sheet_transform: ['doc.summarize'],
  canvas_cluster: ['doc.summarize'],
  asr_transcribe: ['doc.summarize'],
  workflow_run: ['doc.summarize'],
  spec_router: ['doc.summarize'],
  debug_bundle_export: ['export.debug_bundle', 'fr.read', 'diagnostics.read', 'jobs.read'],
  terminal_exec: ['terminal.exec'],
  doc_ingest: ['doc.read', 'fs.read'],
  distillation_eval: ['doc.summarize'],
} as const satisfies Record<JobKind, readonly CapabilityId[]>;

const KIND_PROFILE = {
  doc_edit: 'Coder',
  doc_rewrite: 'Coder',
  terminal_exec: 'Coder',
  doc_summarize: 'Analyst',
  sheet_transform: 'Analyst',
  canvas_cluster: 'Analyst',
  asr_transcribe: 'Analyst',
  workflow_run: 'Analyst',
  spec_router: 'Analyst',
  debug_bundle_export: 'Analyst',
  doc_ingest: 'Analyst',
  distillation_eval: 'Analyst',
} as const satisfies Record<JobKind, CapabilityProfileId>;

/** Access modes a kind may run under (spec-digest §7.3); a kind not listed accepts any. */
export const REQUIRED_ACCESS_MODE: Partial<Record<JobKind, AccessMode>> = {
  terminal_exec: 'apply_scoped',
  distillation_eval: 'analysis_only',
};

function isGovernanceExport(kind: JobKind, protocolId: string | null | undefined): boolean {
  return kind === 'workflow_run' && protocolId === GOVERNANCE_PACK_PROTOCOL;
}

/** The profile the main process assigns to a new job (jobs.create sets capability_profile_id). */
export function profileForJob(kind: JobKind, protocolId?: string | null): CapabilityProfileId {
  return isGovernanceExport(kind, protocolId) ? 'Operator' : KIND_PROFILE[kind];
}

export function requiredCapabilities(kind: JobKind, protocolId?: string | null): readonly CapabilityId[] {
  if (isGovernanceExport(kind, protocolId)) return ['fs.read', 'fs.write', 'export.governance_pack'];
  return KIND_CAPABILITIES[kind];
}

export function profileCapabilities(profileId: string): readonly CapabilityId[] | null {
  return Object.hasOwn(CAPABILITY_PROFILES, profileId)
    ? CAPABILITY_PROFILES[profileId as CapabilityProfileId]
    : null;
}
