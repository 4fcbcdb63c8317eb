import { describe, expect, it } from 'vitest';
import { simulateCapability } from './simulate';

describe('policy simulator (decideCapability, as the engine decides)', () => {
  it('allows a capability the kind declares and its profile grants', () => {
    expect(simulateCapability({ job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', access_mode: 'analysis_only', capability_id: 'doc.summarize' }))
      .toMatchObject({ allowed: true, capability_profile_id: 'Analyst', declared: ['fs.read', 'doc.read', 'doc.summarize', 'model.call'] });
  });

  it('denies terminal.exec outside apply_scoped, as the engine would', () => {
    const answer = simulateCapability({ job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'preview_only', capability_id: 'terminal.exec' });
    // The main process gives a job outside apply_scoped the least profile (Analyst); the kind's rule decides first.
    expect(answer).toMatchObject({ allowed: false, capability_profile_id: 'Analyst' });
    expect(answer.reason).toMatch(/apply_scoped/);
    expect(answer.reason).toMatch(/kind\.terminal_exec\.requires_apply_scoped/);
    expect(simulateCapability({ job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', capability_id: 'terminal.exec' }).allowed).toBe(true);
  });

  it('denies what a profile lacks, and what the kind does not declare', () => {
    const lacking = simulateCapability({ job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0', access_mode: 'apply_scoped', capability_id: 'doc.write', capability_profile_id: 'Analyst' });
    expect(lacking).toMatchObject({ allowed: false });
    expect(simulateCapability({ job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', access_mode: 'analysis_only', capability_id: 'jobs.read' }).reason).toMatch(/does not declare jobs\.read/);
    // A side effect outside apply_scoped is refused by the access-mode rule before anything else.
    expect(simulateCapability({ job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', access_mode: 'analysis_only', capability_id: 'fs.write' }).reason).toMatch(/access_mode\.analysis_only\.no_side_effects/);
  });

  it('refuses a capability id outside the registry with HSK-4001', () => {
    expect(() => simulateCapability({ job_kind: 'doc_summarize', protocol_id: 'p', access_mode: 'analysis_only', capability_id: 'net.everything' }))
      .toThrow(expect.objectContaining({ code: 'HSK-4001' }));
  });
});
