/**
 * The enforcement points' side of the policy: asks `decideCapability` and records the answer as
 * one `capability_action` Flight Recorder event (§11.1, L44647), whose outcome is the outcome that
 * happened. Nothing here decides; it only asks and writes down.
 */
import type { AccessMode, JobKind } from '../../src-shared/enums';
import type { CapabilityCheckpoint, EventDraft } from '../../src-shared/events';
import { decideCapability, type CapabilityDecision, type FileReadFacts } from './policy';

export const CAPABILITY_ACTOR_ID = 'capability_policy';

export interface CapabilitySubject {
  /** null for a submission that is refused before any job exists. */
  job_id: string | null;
  trace_id: string;
  job_kind: JobKind;
  protocol_id: string;
  access_mode: AccessMode;
  capability_profile_id?: string;
}

export type GateDecision = { ok: true } | { ok: false; decision: CapabilityDecision; message: string };

export interface CapabilityCheck {
  /** The kind of the node that needs it (a workflow step's kind); by default the job's own. */
  kind?: JobKind;
  capability: string;
  checkpoint: CapabilityCheckpoint;
  file?: FileReadFacts;
}

export interface CapabilityGate {
  /** Decides and records one capability. */
  check(subject: CapabilitySubject, check: CapabilityCheck): GateDecision;
  /** Decides and records each capability in order, stopping at the first deny. */
  checkAll(subject: CapabilitySubject, capabilities: readonly string[], checkpoint: CapabilityCheckpoint, kind?: JobKind): GateDecision;
}

type RecordEvent = (draft: EventDraft<'capability_action'>) => unknown;

export function capabilityEvent(subject: CapabilitySubject, decision: CapabilityDecision, checkpoint: CapabilityCheckpoint): EventDraft<'capability_action'> {
  return {
    type: 'capability_action',
    actor: 'system',
    actor_id: CAPABILITY_ACTOR_ID,
    trace_id: subject.trace_id,
    job_id: subject.job_id,
    capability_id: decision.capability_id,
    payload: {
      capability_id: decision.capability_id,
      actor_id: CAPABILITY_ACTOR_ID,
      job_id: subject.job_id,
      decision_outcome: decision.outcome,
      reason: decision.message,
      rule: decision.rule,
      checkpoint,
    },
  };
}

export function createCapabilityGate(recordEvent: RecordEvent): CapabilityGate {
  const gate: CapabilityGate = {
    check(subject, check) {
      const decision = decideCapability({
        kind: subject.job_kind,
        node_kind: check.kind,
        protocol_id: subject.protocol_id,
        access_mode: subject.access_mode,
        capability: check.capability,
        capability_profile_id: subject.capability_profile_id,
        file: check.file,
      });
      recordEvent(capabilityEvent(subject, decision, check.checkpoint));
      if (decision.outcome === 'allow') return { ok: true };
      return { ok: false, decision, message: `${decision.capability_id} denied (${decision.rule}): ${decision.message}` };
    },
    checkAll(subject, capabilities, checkpoint, kind) {
      for (const capability of capabilities) {
        const result = gate.check(subject, { kind, capability, checkpoint });
        if (!result.ok) return result;
      }
      return { ok: true };
    },
  };
  return gate;
}
