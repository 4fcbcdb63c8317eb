import { afterEach, describe, expect, it } from 'vitest';
import { drain, makeRig, type TestRig } from '../testing/workflows';
import { readTerminalOutput } from './terminal-output';

let rig: TestRig;
afterEach(async () => {
  await rig.close();
});

const command = (script: string) => ({
  job_kind: 'terminal_exec',
  protocol_id: 'hsk.terminal.exec.v0',
  access_mode: 'apply_scoped' as const,
  job_inputs: { argv: ['sh', '-c', script] },
});

describe('jobs.terminal_output', () => {
  it('returns the captured stdout and stderr of a finished command, secrets masked', async () => {
    rig = makeRig();
    const job = rig.submit(command('echo hello; echo password=hunter2222; echo oops >&2'));
    await drain(rig.engine);
    const runs = rig.store.listRuns(job.job_id);
    const stdout = readTerminalOutput(rig.dataDir, runs, { job_id: job.job_id, stream: 'stdout' });
    expect(stdout).toMatchObject({ node_execution_id: runs[0]!.nodes[0]!.node_execution_id, from_byte: 0, live: false, redacted_count: 1 });
    expect(stdout.text).toMatch(/^hello\n\[REDACTED:[^\]]+\]\n$/);
    expect(stdout.text).not.toContain('hunter2222');
    expect(stdout.size_bytes).toBe('hello\npassword=hunter2222\n'.length);
    expect(readTerminalOutput(rig.dataDir, runs, { job_id: job.job_id, stream: 'stderr' }).text).toBe('oops\n');
  });

  it('returns only the tail, starting on a whole character', async () => {
    rig = makeRig();
    const job = rig.submit(command("printf 'ééééé-end'"));
    await drain(rig.engine);
    const tail = readTerminalOutput(rig.dataDir, rig.store.listRuns(job.job_id), { job_id: job.job_id, stream: 'stdout', max_bytes: 6 });
    // 6 bytes from the end start inside an "é" (2 bytes each): the half character is skipped.
    expect(tail).toMatchObject({ text: 'é-end', size_bytes: 14, from_byte: 8 });
  });

  it('reads the output of a command that is still running, marked live', async () => {
    rig = makeRig();
    const job = rig.submit(command('echo started; exec sleep 30'));
    const started = rig.engine.waitFor((m) => m.type === 'run_started');
    rig.engine.start();
    await started;
    const read = () => readTerminalOutput(rig.dataDir, rig.store.listRuns(job.job_id), { job_id: job.job_id, stream: 'stdout' });
    // The file fills as the process writes: poll the reader itself, the thing under test.
    await expect.poll(() => read().text).toBe('started\n');
    expect(read().live).toBe(true);
    await rig.engine.cancel(job.job_id, 'test_over');
    expect(read().live).toBe(false);
  });

  it('has no output before a command started, and refuses a node that is not the job’s', async () => {
    rig = makeRig();
    const job = rig.submit(command('true'));
    expect(readTerminalOutput(rig.dataDir, [], { job_id: job.job_id, stream: 'stdout' })).toMatchObject({ node_execution_id: null, text: '', live: false });
    expect(() =>
      readTerminalOutput(rig.dataDir, [], { job_id: job.job_id, stream: 'stdout', node_execution_id: '00000000-0000-4000-8000-00000000abcd' }),
    ).toThrow(expect.objectContaining({ code: 'HSK-404-NOT-FOUND' }));
  });
});
