/**
 * Startup recovery's first step (before any run is stalled, so before any job can be resumed):
 * every process group an executor recorded and that was never seen to end is an orphan of an
 * interrupted run, because one process owns the data dir and its engine has not started yet.
 * Each one that is still alive and is still the same process (same kernel start time, same boot)
 * is ended: SIGTERM, then SIGKILL after a grace period. A pid that now belongs to another process
 * is left alone. Each decision is recorded (process_recovery event, record closed).
 */
import type { ProcessRecoveryAction } from '../../src-shared/events';
import { bootId, groupHasLiveMembers, processStart, signalGroup } from '../executors/processes';
import type { ProcessRow } from '../store/processes';
import type { StallWrites } from './stall-writes';

export const PROCESS_GRACE_MS = 2_000;
const POLL_MS = 25;

type Identity = 'ours' | Extract<ProcessRecoveryAction, 'already_exited' | 'pid_reused' | 'unverifiable'>;

function identify(row: ProcessRow, currentBoot: string | null): Identity {
  // Every process of an earlier boot is gone, whatever now holds its pid.
  if (row.boot_id !== null && currentBoot !== null && row.boot_id !== currentBoot) return 'already_exited';
  const leader = processStart(row.pid);
  if (leader) {
    if (row.start_ticks === null || currentBoot === null) return 'unverifiable';
    return leader.startTicks === row.start_ticks ? 'ours' : 'pid_reused';
  }
  // The leader is gone; a pgid is not reused while its group has members, so any left are ours.
  return groupHasLiveMembers(row.pgid) ? 'ours' : 'already_exited';
}

/** The grace period is real time, whatever clock recovery's thresholds run on. */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function endGroup(pgid: number, graceMs: number): Promise<ProcessRecoveryAction> {
  if (!signalGroup(pgid, 'SIGTERM')) return 'already_exited';
  const deadline = performance.now() + graceMs;
  while (performance.now() < deadline) {
    if (!groupHasLiveMembers(pgid)) return 'terminated';
    await pause(POLL_MS);
  }
  if (!groupHasLiveMembers(pgid)) return 'terminated';
  signalGroup(pgid, 'SIGKILL');
  return 'killed';
}

/** Ends (or rules out) every open process record; returns how many groups were ended. */
export async function endOrphanProcesses(writes: StallWrites, graceMs: number): Promise<number> {
  const currentBoot = bootId();
  let ended = 0;
  for (const row of writes.openProcesses()) {
    const identity = identify(row, currentBoot);
    const action = identity === 'ours' ? await endGroup(row.pgid, graceMs) : identity;
    if (action === 'terminated' || action === 'killed') ended += 1;
    writes.recordProcessRecovery(row, action);
  }
  return ended;
}
