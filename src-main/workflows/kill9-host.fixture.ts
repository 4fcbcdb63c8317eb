/**
 * Test fixture for kill9.test.ts: a host process that opens the core (lock, store, recovery,
 * engine), runs a long job and then just stays alive until it is killed. The command hangs only
 * on its first attempt, so a resumed attempt completes at once.
 * - `kill9-host.fixture.ts DIR`: one terminal_exec job, submitted through jobs.create;
 * - `kill9-host.fixture.ts DIR LOG`: a three-step workflow_run whose steps append to LOG (a side
 *   effect a repeated step would show twice) and whose second step hangs. Submitted workflows get
 *   a profile without terminal.exec, so this one is queued in the store with the Coder profile
 *   before the core opens; the engine takes it after recovery.
 */
import { NewJobSchema, type NewJobInput } from '../../src-shared/job';
import { openCore } from '../core/open-core';
import { Store } from '../store/store';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: kill9-host.fixture.ts <data-dir> [side-effect-log]');
const sideEffectLog = process.argv[3];

const hangOnFirstAttempt = ['sh', '-c', '[ "$HSK_ATTEMPT" -gt 1 ] || exec sleep 300'];
const append = (word: string) => ({ kind: 'terminal_exec', inputs: { argv: ['sh', '-c', `echo ${word} >> "$0"`, sideEffectLog ?? ""] } });

function queueWorkflow(): string {
  const workflow: NewJobInput = {
    job_kind: 'workflow_run',
    protocol_id: 'hsk.workflow.v0',
    access_mode: 'apply_scoped',
    job_inputs: { steps: [append('one'), { kind: 'terminal_exec', inputs: { argv: hangOnFirstAttempt } }, append('three')] },
  };
  const store = Store.open(dataDir!);
  try {
    return store.createJob(NewJobSchema.parse(workflow), { capabilityProfileId: 'Coder' }).job_id;
  } finally {
    store.close();
  }
}

const workflowJobId = sideEffectLog ? queueWorkflow() : null;
const core = await openCore({ dataDir, host: 'browser', version: 'kill9-fixture', modelRuntime: 'none', allowTerminal: true });
await core.recoveryDone;
const jobId =
  workflowJobId ??
  (
    await core.handlers['jobs.create'](
      NewJobSchema.parse({ job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: hangOnFirstAttempt } }),
    )
  ).job_id;
process.stdout.write(`${JSON.stringify({ job_id: jobId })}\n`);
setInterval(() => undefined, 60_000);
