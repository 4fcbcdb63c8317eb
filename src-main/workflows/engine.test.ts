import { afterEach, describe, expect, it } from 'vitest';
import { MockModelRuntime } from '../model-runtime/mock';
import { drain, makeRig, type TestRig } from './test-support';
import type { EngineMilestone } from './engine';

let rig: TestRig;
afterEach(async () => {
  await rig.close();
});

const summarize = (text: string) => ({
  job_kind: 'doc_summarize',
  protocol_id: 'hsk.docs.summarize.v0',
  access_mode: 'analysis_only' as const,
  job_inputs: { text },
});

describe('WorkflowEngine', () => {
  it('runs a queued job to completed as one run with one node, every step recorded', async () => {
    rig = makeRig({ modelRuntime: new MockModelRuntime() });
    const job = rig.submit(summarize('The quick brown fox jumps over the lazy dog.'));
    await drain(rig.engine);

    const done = rig.store.getJob(job.job_id);
    expect(done.state).toBe('completed');
    expect(done.workflow_run_id).not.toBeNull();
    expect(done.metrics.total_tokens).toBeGreaterThan(0);
    expect(done.metrics.validators_run_count).toBeGreaterThan(0);
    const [run, ...more] = rig.store.listRuns(job.job_id);
    expect(more).toHaveLength(0);
    expect(run?.status).toBe('completed');
    expect(run?.attempt).toBe(1);
    expect(run?.nodes.map((n) => [n.node_id, n.status])).toEqual([['doc_summarize', 'completed']]);
    const types = rig.store.listEvents({ job_id: job.job_id, order: 'asc', limit: 100 }).items.map((e) => e.type);
    expect(types).toEqual([
      'job_created',
      'capability_action',
      'capability_action',
      'workflow_run_started',
      'job_state_changed',
      'workflow_node_started',
      'llm_inference',
      'workflow_node_finished',
      'workflow_run_finished',
      'job_state_changed',
    ]);
  });

  it('never runs more jobs at once than its concurrency, and starts them in creation order', async () => {
    rig = makeRig({ modelRuntime: new MockModelRuntime({ delayMs: 20 }), concurrency: 2 });
    const jobs = Array.from({ length: 5 }, (_, i) => rig.submit(summarize(`document number ${i}`)));
    let running = 0;
    let maxRunning = 0;
    const startOrder: string[] = [];
    rig.engine.on((m: EngineMilestone) => {
      if (m.type === 'run_started') {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        startOrder.push(m.job_id);
        expect(rig.engine.runningJobIds.length).toBeLessThanOrEqual(2);
      }
      if (m.type === 'run_finished') running -= 1;
    });
    await drain(rig.engine);
    expect(maxRunning).toBe(2);
    expect(startOrder).toEqual(jobs.map((j) => j.job_id));
    expect(jobs.map((j) => rig.store.getJob(j.job_id).state)).toEqual(Array(5).fill('completed'));
  });
});
