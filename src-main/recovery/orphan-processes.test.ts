import { spawn, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { bootId, groupHasLiveMembers, processStart, signalGroup } from '../executors/processes';
import { Store } from '../store/store';
import { count, eventsOfType } from '../testing/store';
import { makeTempDir } from '../testing/temp-dir';
import { endOrphanProcesses } from './orphan-processes';
import { StallWrites } from './stall-writes';

const groups: number[] = [];
afterEach(() => {
  for (const pgid of groups.splice(0)) signalGroup(pgid, 'SIGKILL');
});

/** A store with one interrupted run, and a way to record a process group for it. */
function interruptedRun() {
  const store = Store.open(makeTempDir());
  const job = store.createJob({ job_kind: 'terminal_exec', protocol_id: 'p' }, { capabilityProfileId: 'Coder' });
  const { run } = store.startRun(job.job_id);
  const record = (pid: number, startTicks: number | null, boot: string | null = bootId()) =>
    store.recordProcess({ workflowRunId: run.workflow_run_id, nodeExecutionId: null, pid, pgid: pid, startTicks, bootId: boot, command: 'sleep' });
  return { store, run, record };
}

/** A detached process group as terminal_exec starts one, still running after its parent "died". */
function orphanGroup(script: string): number {
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
  groups.push(child.pid!);
  return child.pid!;
}

function deadPid(): number {
  return spawnSync('true').pid!;
}

async function recover(store: Store, graceMs = 2_000): Promise<Array<{ pid: number; action: string }>> {
  await endOrphanProcesses(StallWrites.of(store), graceMs);
  return eventsOfType(store, 'process_recovery').map((event) => ({ pid: Number(event.payload.pid), action: String(event.payload.action) }));
}

describe('ending the processes of interrupted runs', () => {
  it('ends a live orphan group with SIGTERM and records its pid', async () => {
    const { store, record } = interruptedRun();
    const pid = orphanGroup('sleep 300');
    record(pid, processStart(pid)!.startTicks);
    expect(await recover(store)).toEqual([{ pid, action: 'terminated' }]);
    expect(groupHasLiveMembers(pid)).toBe(false);
    // Closed: a second start does not look at it again.
    expect(await recover(store)).toHaveLength(1);
  });

  it('kills a group that ignores SIGTERM once the grace period is over', async () => {
    const { store, record } = interruptedRun();
    const pid = orphanGroup('trap "" TERM; while :; do sleep 1; done');
    record(pid, processStart(pid)!.startTicks);
    expect(await recover(store, 200)).toEqual([{ pid, action: 'killed' }]);
    expect(groupHasLiveMembers(pid)).toBe(false);
  });

  it('leaves alone a process that was given a recorded pid later (another start time)', async () => {
    const { store, record } = interruptedRun();
    record(process.pid, processStart(process.pid)!.startTicks + 1);
    expect(await recover(store)).toEqual([{ pid: process.pid, action: 'pid_reused' }]);
    expect(processStart(process.pid)).not.toBeNull();
  });

  it('records a group that is already gone, and one from an earlier boot, without signalling anything', async () => {
    const { store, record } = interruptedRun();
    const gone = deadPid();
    record(gone, 1);
    record(process.pid, processStart(process.pid)!.startTicks, 'an-earlier-boot');
    expect(await recover(store)).toEqual([
      { pid: gone, action: 'already_exited' },
      { pid: process.pid, action: 'already_exited' },
    ]);
    expect(count(store, 'fr_events')).toBe(5);
  });
});
