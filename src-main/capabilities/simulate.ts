/**
 * The policy simulator's one question: would a job of this kind, protocol and access mode be
 * granted this capability? It is answered by running the engine's own gate on a hypothetical job
 * and reading back the decisions the gate would have recorded, so the simulator cannot drift from
 * what the engine enforces. (When capability policy gets one pure decision function, point this at it.)
 */
import type { AccessMode, JobKind } from '../../src-shared/enums';
import type { EventDraft } from '../../src-shared/events';
import { createCapabilityGate } from './gate';
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
  reason: string;
}

/** A hypothetical job: the gate needs ids, and nothing it "records" here is stored. */
const HYPOTHETICAL_ID = '00000000-0000-4000-8000-000000000000';

export function simulateCapability(query: SimulationQuery): SimulationAnswer {
  const capability = assertCapabilityId(query.capability_id);
  const profile = query.capability_profile_id ?? profileForJob(query.job_kind, query.protocol_id);
  const decisions: EventDraft<'capability_action'>[] = [];
  const gate = createCapabilityGate((draft) => decisions.push(draft));
  const verdict = gate.check(
    { job_id: HYPOTHETICAL_ID, trace_id: HYPOTHETICAL_ID, job_kind: query.job_kind, protocol_id: query.protocol_id, capability_profile_id: profile, access_mode: query.access_mode },
    [query.job_kind],
  );
  const answer = { capability_profile_id: profile, declared: [...requiredCapabilities(query.job_kind, query.protocol_id)], granted: [...(profileCapabilities(profile) ?? [])] };
  const decision = decisions.find((draft) => draft.payload.capability_id === capability);
  if (!decision) {
    return { ...answer, allowed: false, reason: `${query.job_kind} (${query.protocol_id}) does not declare ${capability}; the engine grants only declared capabilities` };
  }
  if (decision.payload.decision_outcome === 'deny') {
    return { ...answer, allowed: false, reason: decision.payload.reason ?? `capability profile ${profile} does not grant ${capability}` };
  }
  if (!verdict.ok) return { ...answer, allowed: false, reason: verdict.message };
  return { ...answer, allowed: true, reason: `capability profile ${profile} grants ${capability}, which ${query.job_kind} declares` };
}
