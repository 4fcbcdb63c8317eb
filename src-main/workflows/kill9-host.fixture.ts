/**
 * Test fixture for kill9.test.ts: a host process that opens the core (lock, store, recovery,
 * engine), runs a long job and then just stays alive until it is killed. The command hangs only
 * on its first attempt, so a resumed attempt completes at once. Both jobs are submitted through
 * jobs.create to a core started with --allow-terminal, so they are consented as scripted use is.
 * - `kill9-host.fixture.ts DIR`: one terminal_exec job;
 * - `kill9-host.fixture.ts DIR LOG`: a three-step workflow_run whose steps append to LOG (a side
 *   effect a repeated step would show twice) and whose second step hangs.
 */
import { NewJobSchema, type NewJobInput } from '../../src-shared/job';
import { openCore } from '../core/open-core';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: kill9-host.fixture.ts <data-dir> [side-effect-log]');
const sideEffectLog = process.argv[3];

const hangOnFirstAttempt = ['sh', '-c', '[ "$HSK_ATTEMPT" -gt 1 ] || exec sleep 300'];
const append = (word: string) => ({ kind: 'terminal_exec', inputs: { argv: ['sh', '-c', `echo ${word} >> "$0"`, sideEffectLog ?? ''] } });

const submission: NewJobInput = sideEffectLog
  ? {
      job_kind: 'workflow_run',
      protocol_id: 'hsk.workflow.v0',
      access_mode: 'apply_scoped',
      job_inputs: { steps: [append('one'), { kind: 'terminal_exec', inputs: { argv: hangOnFirstAttempt } }, append('three')] },
    }
  : { job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: hangOnFirstAttempt } };

const core = await openCore({ dataDir, host: 'browser', version: 'kill9-fixture', modelRuntime: 'none', allowTerminal: true });
await core.recoveryDone;
const { job_id: jobId } = await core.handlers['jobs.create'](NewJobSchema.parse(submission));
process.stdout.write(`${JSON.stringify({ job_id: jobId })}\n`);
setInterval(() => undefined, 60_000);
