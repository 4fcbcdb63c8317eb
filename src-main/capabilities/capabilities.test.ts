import { describe, expect, it } from 'vitest';
import { ACCESS_MODES, JOB_KINDS, type JobKind } from '../../src-shared/enums';
import type { EventDraft } from '../../src-shared/events';
import { defaultProtocol, GOVERNANCE_PACK_PROTOCOL } from '../../src-shared/protocols';
import { parsedJob } from '../testing/store';
import type { CapabilitySubject } from './gate';
import {
  admitJob,
  assertCapabilityId,
  consentState,
  createCapabilityGate,
  decideCapability,
  OPERATOR_CONSENT_TTL_MS,
  operatorConsent,
  profileForJob,
  requiredCapabilities,
} from './index';

const subject = (overrides: Partial<CapabilitySubject> = {}): CapabilitySubject => ({
  job_id: '00000000-0000-4000-8000-00000000000a',
  trace_id: '00000000-0000-4000-8000-00000000000b',
  job_kind: 'doc_summarize',
  protocol_id: 'hsk.docs.summarize.v0',
  access_mode: 'analysis_only' as const,
  ...overrides,
});

describe('capability profiles', () => {
  it('assigns a profile and only registered capabilities to every kind under every access mode', () => {
    for (const kind of JOB_KINDS as readonly JobKind[]) {
      for (const mode of ACCESS_MODES) {
        expect(['Analyst', 'Editor', 'Coder', 'Operator']).toContain(profileForJob(kind, defaultProtocol(kind), mode));
        for (const capability of requiredCapabilities(kind, defaultProtocol(kind), mode)) expect(assertCapabilityId(capability)).toBe(capability);
      }
    }
  });

  it('chooses the profile from kind, protocol and access mode: no write or exec grant outside apply_scoped', () => {
    expect(profileForJob('terminal_exec', 'hsk.terminal.exec.v0', 'apply_scoped')).toBe('Coder');
    expect(profileForJob('terminal_exec', 'hsk.terminal.exec.v0', 'preview_only')).toBe('Analyst');
    expect(profileForJob('doc_rewrite', 'hsk.docs.rewrite.v0', 'apply_scoped')).toBe('Editor');
    expect(profileForJob('doc_rewrite', 'hsk.docs.rewrite.v0', 'preview_only')).toBe('Analyst');
    expect(profileForJob('workflow_run', GOVERNANCE_PACK_PROTOCOL, 'apply_scoped')).toBe('Operator');
    expect(requiredCapabilities('workflow_run', GOVERNANCE_PACK_PROTOCOL, 'apply_scoped')).toEqual(['fs.read', 'fs.write', 'export.governance_pack']);
    expect(requiredCapabilities('doc_rewrite', 'hsk.docs.rewrite.v0', 'apply_scoped')).toContain('doc.write');
    expect(requiredCapabilities('doc_rewrite', 'hsk.docs.rewrite.v0', 'preview_only')).not.toContain('doc.write');
  });

  it('refuses an unknown capability id with HSK-4001', () => {
    expect(() => assertCapabilityId('net.everything')).toThrow(expect.objectContaining({ code: 'HSK-4001' }));
    expect(() => decideCapability({ kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0', access_mode: 'analysis_only', capability: 'net.everything' })).toThrow(
      expect.objectContaining({ code: 'HSK-4001' }),
    );
  });
});

describe('decideCapability (the one decision the engine and the simulator share)', () => {
  const ask = (overrides: Partial<Parameters<typeof decideCapability>[0]>) =>
    decideCapability({ kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', capability: 'terminal.exec', ...overrides });

  it.each([
    ['allows terminal.exec to a terminal_exec under apply_scoped', {}, 'allow', 'profile.Coder.grants'],
    ['denies terminal.exec under preview_only by the kind rule', { access_mode: 'preview_only' as const }, 'deny', 'kind.terminal_exec.requires_apply_scoped'],
    ['denies a protocol the kind does not accept', { protocol_id: 'terminal_exec.v1' }, 'deny', 'protocol.unknown_protocol'],
    ['denies an unknown version of a known protocol', { protocol_id: 'hsk.terminal.exec.v9' }, 'deny', 'protocol.unknown_protocol_version'],
    ['denies what the stored profile does not grant', { capability_profile_id: 'Analyst' }, 'deny', 'profile.Analyst.not_granted'],
    ['denies everything to a profile that is not in the registry', { capability_profile_id: 'Root' }, 'deny', 'profile.unknown'],
    ['denies doc.write outside apply_scoped', { kind: 'doc_edit' as const, protocol_id: 'hsk.docs.edit.v0', access_mode: 'preview_only' as const, capability: 'doc.write' }, 'deny', 'access_mode.preview_only.no_side_effects'],
    ['denies a file read outside the allowed folder', { kind: 'doc_ingest' as const, protocol_id: 'hsk.docs.ingest.v0', access_mode: 'analysis_only' as const, capability: 'fs.read', file: { within_allowed_folder: false } }, 'deny', 'fs.read.outside_allowed_folder'],
    ['denies a file the job does not name in entity_refs', { kind: 'doc_ingest' as const, protocol_id: 'hsk.docs.ingest.v0', access_mode: 'analysis_only' as const, capability: 'fs.read', file: { within_allowed_folder: true, named_in_entity_refs: false } }, 'deny', 'fs.read.not_in_entity_refs'],
    ['denies a terminal step of a workflow outside apply_scoped', { kind: 'workflow_run' as const, node_kind: 'terminal_exec' as const, protocol_id: 'hsk.workflow.v0', access_mode: 'analysis_only' as const }, 'deny', 'kind.terminal_exec.requires_apply_scoped'],
  ])('%s', (_label, overrides, outcome, rule) => {
    expect(ask(overrides)).toMatchObject({ outcome, rule });
  });
});

describe('capability gate', () => {
  function gateWithLog() {
    const events: EventDraft<'capability_action'>[] = [];
    return { gate: createCapabilityGate((draft) => events.push(draft)), events };
  }

  it('records one event per decision, with the rule and the checkpoint', () => {
    const { gate, events } = gateWithLog();
    expect(gate.checkAll(subject(), ['doc.read', 'doc.summarize'], 'node')).toEqual({ ok: true });
    expect(events.map((e) => [e.payload.capability_id, e.payload.decision_outcome, e.payload.rule, e.payload.checkpoint])).toEqual([
      ['doc.read', 'allow', 'profile.Analyst.grants', 'node'],
      ['doc.summarize', 'allow', 'profile.Analyst.grants', 'node'],
    ]);
  });

  it('stops at the first deny, whose event names the capability and the rule, and records no allow for it', () => {
    const { gate, events } = gateWithLog();
    const decision = gate.checkAll(subject({ job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'preview_only' }), ['terminal.exec', 'fs.read'], 'node');
    expect(decision).toMatchObject({ ok: false, decision: { capability_id: 'terminal.exec', rule: 'kind.terminal_exec.requires_apply_scoped' } });
    expect(events.map((e) => [e.payload.capability_id, e.payload.decision_outcome])).toEqual([['terminal.exec', 'deny']]);
  });
});

describe('admission (the submission checkpoint)', () => {
  it('refuses a terminal_exec under preview_only at once, naming terminal.exec and the rule', () => {
    const admission = admitJob(parsedJob({ job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'preview_only', job_inputs: { argv: ['echo', 'x'] } }), { allowTerminal: true, now: 1 });
    expect(admission).toMatchObject({ ok: false, denied: { capability_id: 'terminal.exec', outcome: 'deny', rule: 'kind.terminal_exec.requires_apply_scoped' } });
  });

  it('checks each workflow step as the node it will be', () => {
    const job = parsedJob({ job_kind: 'workflow_run', protocol_id: 'hsk.workflow.v0', access_mode: 'analysis_only', job_inputs: { steps: [{ kind: 'terminal_exec', inputs: { argv: ['true'] } }] } });
    expect(admitJob(job, { allowTerminal: true, now: 1 })).toMatchObject({ ok: false, denied: { capability_id: 'terminal.exec' } });
  });

  it('consents to a command only when the host was started with --allow-terminal', () => {
    const job = parsedJob({ job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['echo', 'x'] } });
    expect(admitJob(job, { allowTerminal: false, now: 5 })).toMatchObject({ ok: true, profile: 'Coder', consent: undefined });
    expect(admitJob(job, { allowTerminal: true, now: 5 })).toMatchObject({ ok: true, consent: { consent_decision: 'granted', consent_source: 'allow_terminal_switch', consent_decided_at: 5 } });
  });
});

describe('consent', () => {
  const job = (consent: Parameters<typeof consentState>[0]['consent']) => ({ consent_profile_id: 'hsk.consent.terminal_exec.v0', consent });

  it('holds an operator consent until its TTL and never after', () => {
    const given = operatorConsent(Date.UTC(2026, 0, 1));
    const served = { decision: 'granted' as const, source: 'operator' as const, decided_at: new Date(Date.UTC(2026, 0, 1)).toISOString(), expires_at: new Date(given.consent_expires_at!).toISOString() };
    expect(consentState(job(served), Date.UTC(2026, 0, 1) + OPERATOR_CONSENT_TTL_MS - 1)).toBe('holds');
    expect(consentState(job(served), Date.UTC(2026, 0, 1) + OPERATOR_CONSENT_TTL_MS)).toBe('expired');
  });

  it('treats pending, denied and unrecorded consent as missing, and needs none for other kinds', () => {
    for (const decision of ['pending', 'denied', 'not_recorded'] as const) {
      expect(consentState(job({ decision, source: null, decided_at: null, expires_at: null }), 0)).toBe('missing');
    }
    expect(consentState({ consent_profile_id: 'hsk.consent.none.v0', consent: { decision: 'not_required', source: null, decided_at: null, expires_at: null } }, 0)).toBe('not_required');
  });
});
