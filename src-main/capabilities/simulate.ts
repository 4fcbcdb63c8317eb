/**
 * The policy simulator's one question: would a job of this kind, protocol and access mode be
 * granted this capability? It is answered by `decideCapability`, the same pure decision every
 * enforcement point calls (submission, each node, each side effect), so the simulator cannot drift
 * from what the engine enforces. A capability the kind does not declare is never asked for by the
 * engine; the simulator says so rather than pretending a grant would be used.
 */
import type { AccessMode, JobKind } from '../../src-shared/enums';
import { decideCapability } from './policy';
import { profileCapabilities, profileForJob, requiredCapabilities } from './profiles';
import { assertCapabilityId } from './registry';

export interface SimulationQuery {
  job_kind: JobKind;
  protocol_id: string;
  access_mode: AccessMode;
  capability_id: string;
  capability_profile_id?: string;
}

export interface SimulationAnswer {
  allowed: boolean;
  capability_profile_id: string;
  declared: string[];
  granted: string[];
  /** One sentence, ending with the id of the rule that decided, e.g. `(profile.Coder.grants)`. */
  reason: string;
}

export function simulateCapability(query: SimulationQuery): SimulationAnswer {
  const capability = assertCapabilityId(query.capability_id);
  const profile = query.capability_profile_id ?? profileForJob(query.job_kind, query.protocol_id, query.access_mode);
  const declared = [...requiredCapabilities(query.job_kind, query.protocol_id, query.access_mode)];
  const answer = { capability_profile_id: profile, declared, granted: [...(profileCapabilities(profile) ?? [])] };
  const decision = decideCapability({
    kind: query.job_kind,
    protocol_id: query.protocol_id,
    access_mode: query.access_mode,
    capability,
    capability_profile_id: profile,
  });
  if (decision.outcome === 'deny') return { ...answer, allowed: false, reason: `${decision.message} (${decision.rule})` };
  if (!declared.includes(capability)) {
    return { ...answer, allowed: false, reason: `${query.job_kind} (${query.protocol_id}) does not declare ${capability}; the engine asks only for declared capabilities (kind.undeclared)` };
  }
  return { ...answer, allowed: true, reason: `${decision.message}, which ${query.job_kind} declares (${decision.rule})` };
}
