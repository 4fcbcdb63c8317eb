/**
 * The engine's capability enforcement point: before a job's run starts, every capability its kind
 * (and each workflow step's kind) needs is checked against the job's profile. Every decision,
 * allow or deny, is a `capability_action` Flight Recorder event (§11.1, L44647).
 */
import { ENGINE_ACTOR_ID, type AccessMode, type JobKind } from '../../src-shared/enums';
import type { EventDraft } from '../../src-shared/events';
import { assertCapabilityId, type CapabilityId } from './registry';
import { profileCapabilities, REQUIRED_ACCESS_MODE, requiredCapabilities } from './profiles';

export const CAPABILITY_ACTOR_ID = ENGINE_ACTOR_ID;

export interface CapabilitySubject {
  job_id: string;
  trace_id: string;
  job_kind: JobKind;
  protocol_id: string;
  capability_profile_id: string;
  access_mode: AccessMode;
}

export type GateDecision = { ok: true } | { ok: false; message: string };

export interface CapabilityGate {
  /** Checks `kinds` (the job's own kind, plus its workflow steps' kinds) for the job. */
  check(subject: CapabilitySubject, kinds: readonly JobKind[]): GateDecision;
}

type RecordEvent = (draft: EventDraft<'capability_action'>) => unknown;

export function createCapabilityGate(recordEvent: RecordEvent): CapabilityGate {
  return {
    check(subject, kinds) {
      const granted = profileCapabilities(subject.capability_profile_id);
      const ownKind = subject.job_kind;
      const needed = new Set<CapabilityId>();
      // The job's own protocol matters only for its own kind (governance pack export).
      for (const capability of requiredCapabilities(ownKind, subject.protocol_id)) needed.add(capability);
      for (const kind of kinds) {
        if (kind === ownKind) continue;
        for (const capability of requiredCapabilities(kind)) needed.add(capability);
      }
      const denied: string[] = [];
      for (const capability of needed) {
        assertCapabilityId(capability);
        const allowed = granted !== null && granted.includes(capability);
        const reason = granted === null ? `unknown capability profile ${subject.capability_profile_id}` : undefined;
        recordEvent({
          type: 'capability_action',
          actor: 'agent',
          actor_id: CAPABILITY_ACTOR_ID,
          trace_id: subject.trace_id,
          job_id: subject.job_id,
          capability_id: capability,
          payload: {
            capability_id: capability,
            actor_id: CAPABILITY_ACTOR_ID,
            job_id: subject.job_id,
            decision_outcome: allowed ? 'allow' : 'deny',
            ...(reason ? { reason } : {}),
          },
        });
        if (!allowed) denied.push(capability);
      }
      if (denied.length > 0) {
        return {
          ok: false,
          message: `capability profile ${subject.capability_profile_id} lacks ${denied.join(', ')} needed by ${kinds.join(', ')}`,
        };
      }
      for (const kind of kinds) {
        const mode = REQUIRED_ACCESS_MODE[kind];
        if (mode && subject.access_mode !== mode) {
          return { ok: false, message: `${kind} requires access_mode ${mode}; this job has ${subject.access_mode}` };
        }
      }
      return { ok: true };
    },
  };
}
