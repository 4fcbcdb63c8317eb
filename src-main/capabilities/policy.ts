/**
 * The capability decision: one pure function, called by every enforcement point (submission, each
 * node, each side-effecting call) and by the policy simulator, so what the simulator says is what
 * the engine does. Default deny: a capability is allowed only when every rule lets it through.
 */
import type { AccessMode, JobKind } from '../../src-shared/enums';
import { checkProtocol } from '../../src-shared/protocols';
import { assertCapabilityId, type CapabilityId } from './registry';
import { profileCapabilities, profileForJob, REQUIRED_ACCESS_MODE, SIDE_EFFECT_CAPABILITIES } from './profiles';

/** For a file read: where the file is, as the caller established it (realpath checks are not pure). */
export interface FileReadFacts {
  within_allowed_folder: boolean;
  /** Whether the job names the file in entity_refs; undefined where the kind does not require it. */
  named_in_entity_refs?: boolean;
}

export interface CapabilityQuestion {
  kind: JobKind;
  protocol_id: string;
  access_mode: AccessMode;
  capability: string;
  /** The kind of the node that needs it (a workflow step's kind); by default the job's own. */
  node_kind?: JobKind;
  /** The profile stored with the job; when absent, the one the main process would choose. */
  capability_profile_id?: string;
  file?: FileReadFacts;
}

export interface CapabilityDecision {
  outcome: 'allow' | 'deny';
  /** Stable id of the rule that decided, e.g. `profile.Coder.grants`. */
  rule: string;
  capability_id: CapabilityId;
  capability_profile_id: string;
  /** One sentence for people. */
  message: string;
}

/** Throws HSK-4001 for a capability id that is not in the registry (a bug, not a decision). */
export function decideCapability(question: CapabilityQuestion): CapabilityDecision {
  const capability = assertCapabilityId(question.capability);
  const { kind, protocol_id: protocolId, access_mode: mode } = question;
  const profileId = question.capability_profile_id ?? profileForJob(kind, protocolId, mode);
  const decided = (outcome: 'allow' | 'deny', rule: string, message: string): CapabilityDecision => ({
    outcome,
    rule,
    capability_id: capability,
    capability_profile_id: profileId,
    message,
  });

  const protocol = checkProtocol(kind, protocolId);
  if (!protocol.ok) return decided('deny', `protocol.${protocol.reason}`, protocol.message);
  const nodeKind = question.node_kind ?? kind;
  const requiredMode = REQUIRED_ACCESS_MODE[nodeKind];
  if (requiredMode && mode !== requiredMode) {
    return decided('deny', `kind.${nodeKind}.requires_${requiredMode}`, `${nodeKind} runs only under access_mode ${requiredMode}; this job has ${mode}`);
  }
  if (SIDE_EFFECT_CAPABILITIES.has(capability) && mode !== 'apply_scoped') {
    return decided('deny', `access_mode.${mode}.no_side_effects`, `${capability} has side effects; access_mode ${mode} allows none (apply_scoped does)`);
  }
  const granted = profileCapabilities(profileId);
  if (granted === null) return decided('deny', 'profile.unknown', `capability profile ${profileId} is not in the registry`);
  if (!granted.includes(capability)) {
    return decided('deny', `profile.${profileId}.not_granted`, `capability profile ${profileId} does not grant ${capability}`);
  }
  const file = question.file;
  if (capability === 'fs.read' && file) {
    if (!file.within_allowed_folder) return decided('deny', 'fs.read.outside_allowed_folder', 'the file is outside the allowed documents folder');
    if (file.named_in_entity_refs === false) return decided('deny', 'fs.read.not_in_entity_refs', 'the job does not name this file in entity_refs');
  }
  return decided('allow', `profile.${profileId}.grants`, `capability profile ${profileId} grants ${capability}`);
}
