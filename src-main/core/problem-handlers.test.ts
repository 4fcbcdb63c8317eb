import { afterEach, describe, expect, it } from 'vitest';
import { drain, makeRig, type TestRig } from '../testing/workflows';
import { count, eventsOfType } from '../testing/store';
import { bundleTarget } from './bundle-target';
import { createProblemHandlers } from './problem-handlers';

let rig: TestRig;
afterEach(async () => {
  await rig.close();
});

const secretArgv = ['sh', '-c', 'echo sk-abcdefghijklmnopqrstuvwxyz123456 >&2; exit 2'];

async function failedTerminalJob() {
  const job = rig.submit({ job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: secretArgv } });
  await drain(rig.engine);
  return job;
}

describe('problem and policy handlers', () => {
  it('problems.get by diagnostic id: the problem, its instances, and a redacted coder prompt naming the job', async () => {
    rig = makeRig();
    const handlers = createProblemHandlers(rig.store);
    const job = await failedTerminalJob();
    const [problem] = rig.store.listProblems({}).items;
    const detail = await handlers['problems.get']({ diagnostic_id: problem!.latest_diagnostic_id });
    expect(detail.problem.fingerprint).toBe(problem!.fingerprint);
    expect(detail.instances.map((i) => i.id)).toEqual([problem!.latest_diagnostic_id]);
    expect(detail.coder_prompt).toContain(job.job_id);
    expect(detail.coder_prompt).not.toMatch(/sk-abcdefghij/);
  });

  it('policy.simulate answers with the engine gate and logs each run (actor human); a bad capability writes nothing', async () => {
    rig = makeRig();
    const handlers = createProblemHandlers(rig.store);
    const answer = await handlers['policy.simulate']({ job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'preview_only', capability_id: 'terminal.exec' });
    // Outside apply_scoped the main process assigns the least profile; the kind's access-mode rule denies.
    expect(answer).toMatchObject({ allowed: false, decision_outcome: 'deny', capability_profile_id: 'Analyst' });
    expect(answer.reason).toMatch(/requires_apply_scoped/);
    const [logged] = eventsOfType(rig.store, 'policy_simulation');
    expect(logged).toMatchObject({ event_id: answer.event_id, actor: 'human', payload: { job_kind: 'terminal_exec', capability_id: 'terminal.exec', decision_outcome: 'deny' } });
    const events = count(rig.store, 'fr_events');
    await expect(handlers['policy.simulate']({ job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0', access_mode: 'apply_scoped', capability_id: 'net.all' })).rejects.toMatchObject({ code: 'HSK-4001' });
    expect(count(rig.store, 'fr_events')).toBe(events);
  });

  it('policy.inspect: declared, granted and the decisions recorded for the job', async () => {
    rig = makeRig();
    const handlers = createProblemHandlers(rig.store);
    const job = await failedTerminalJob();
    const inspected = await handlers['policy.inspect']({ job_id: job.job_id });
    expect(inspected).toMatchObject({
      capability_profile_id: 'Coder',
      declared: ['terminal.exec'],
      granted: expect.arrayContaining(['terminal.exec', 'doc.write']),
    });
    // One decision per checkpoint (submission, node, process start), each an allow of terminal.exec.
    expect(inspected.decisions.length).toBeGreaterThan(0);
    expect(inspected.decisions.map((d) => [d.capability_id, d.decision_outcome])).toEqual(inspected.decisions.map(() => ['terminal.exec', 'allow']));
  });

  it('bundles.export targets: a problem joins the trace of its latest instance; an unknown one is HSK-404', async () => {
    rig = makeRig();
    const job = await failedTerminalJob();
    const [problem] = rig.store.listProblems({}).items;
    expect(bundleTarget(rig.store, { scope: 'problem', fingerprint: problem!.fingerprint })).toEqual({
      job_inputs: { scope: 'problem', fingerprint: problem!.fingerprint },
      trace_id: job.trace_id,
    });
    expect(() => bundleTarget(rig.store, { scope: 'problem', fingerprint: 'b'.repeat(64) })).toThrow(expect.objectContaining({ code: 'HSK-404-NOT-FOUND' }));
    expect(bundleTarget(rig.store, { job_id: job.job_id, redaction_mode: 'WORKSPACE' }).job_inputs).toEqual({ target_job_id: job.job_id, redaction_mode: 'WORKSPACE' });
  });
});
