import { describe, expect, it } from 'vitest';
import { JOB_KINDS, type JobKind } from '../../src-shared/enums';
import type { EventDraft } from '../../src-shared/events';
import type { CapabilitySubject } from './gate';
import { assertCapabilityId, createCapabilityGate, profileForJob, requiredCapabilities, GOVERNANCE_PACK_PROTOCOL } from './index';

const subject = (overrides: Partial<CapabilitySubject> = {}): CapabilitySubject => ({
  job_id: '00000000-0000-4000-8000-00000000000a',
  trace_id: '00000000-0000-4000-8000-00000000000b',
  job_kind: 'doc_summarize',
  protocol_id: 'hsk.docs.summarize.v0',
  capability_profile_id: 'Analyst',
  access_mode: 'analysis_only' as const,
  ...overrides,
});

describe('capability profiles', () => {
  it('assigns a profile and known capabilities to every canonical kind', () => {
    for (const kind of JOB_KINDS as readonly JobKind[]) {
      expect(['Analyst', 'Coder', 'Operator']).toContain(profileForJob(kind, 'p'));
      for (const capability of requiredCapabilities(kind)) expect(assertCapabilityId(capability)).toBe(capability);
    }
  });

  it('gives workflow_run with the governance pack protocol the Operator profile and fs/export capabilities', () => {
    expect(profileForJob('workflow_run', GOVERNANCE_PACK_PROTOCOL)).toBe('Operator');
    expect(requiredCapabilities('workflow_run', GOVERNANCE_PACK_PROTOCOL)).toEqual(['fs.read', 'fs.write', 'export.governance_pack']);
    expect(profileForJob('workflow_run', 'hsk.workflow.v0')).toBe('Analyst');
  });

  it('refuses an unknown capability id with HSK-4001', () => {
    expect(() => assertCapabilityId('net.everything')).toThrow(expect.objectContaining({ code: 'HSK-4001' }));
  });
});

describe('capability gate', () => {
  function gateWithLog() {
    const events: EventDraft<'capability_action'>[] = [];
    return { gate: createCapabilityGate((draft) => events.push(draft)), events };
  }

  it('records an allow event per needed capability', () => {
    const { gate, events } = gateWithLog();
    expect(gate.check(subject(), ['doc_summarize'])).toEqual({ ok: true });
    expect(events.map((e) => [e.payload.capability_id, e.payload.decision_outcome, e.payload.actor_id])).toEqual([
      ['doc.read', 'allow', 'workflow_engine'],
      ['doc.summarize', 'allow', 'workflow_engine'],
    ]);
  });

  it('denies, and records the deny, when the profile lacks a capability', () => {
    const { gate, events } = gateWithLog();
    const decision = gate.check(subject({ job_kind: 'doc_edit', capability_profile_id: 'Analyst' }), ['doc_edit']);
    expect(decision.ok).toBe(false);
    expect(events.find((e) => e.payload.capability_id === 'doc.write')?.payload.decision_outcome).toBe('deny');
  });

  it('denies everything for a profile id that is not in the registry', () => {
    const { gate, events } = gateWithLog();
    expect(gate.check(subject({ capability_profile_id: 'Root' }), ['doc_summarize']).ok).toBe(false);
    expect(events.every((e) => e.payload.decision_outcome === 'deny')).toBe(true);
  });

  it('checks a terminal_exec job against terminal.exec and the apply_scoped rule', () => {
    const { gate, events } = gateWithLog();
    const asCoder = gate.check(subject({ job_kind: 'terminal_exec', capability_profile_id: 'Coder', access_mode: 'preview_only' }), ['terminal_exec']);
    expect(events.map((e) => e.payload.capability_id)).toEqual(['terminal.exec']);
    expect(asCoder).toMatchObject({ ok: false });
    expect(!asCoder.ok && asCoder.message).toMatch(/apply_scoped/);
  });
});
