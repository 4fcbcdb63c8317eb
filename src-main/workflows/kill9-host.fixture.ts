/**
 * Test fixture for kill9.test.ts: a host process that opens the core (lock, store, recovery,
 * engine), submits a long terminal_exec job and then just stays alive until it is killed.
 * The command hangs only on its first attempt, so a resumed attempt completes at once.
 */
import { NewJobSchema } from '../../src-shared/job';
import { openCore } from '../core/open-core';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: kill9-host.fixture.ts <data-dir>');

const core = await openCore({ dataDir, host: 'browser', version: 'kill9-fixture', modelRuntime: 'none', allowTerminal: true });
await core.recoveryDone;
const job = await core.handlers['jobs.create'](
  NewJobSchema.parse({
    job_kind: 'terminal_exec',
    protocol_id: 'hsk.terminal.exec.v0',
    access_mode: 'apply_scoped',
    job_inputs: { argv: ['sh', '-c', '[ "$HSK_ATTEMPT" -gt 1 ] || exec sleep 30'] },
  }),
);
process.stdout.write(`${JSON.stringify({ job_id: job.job_id })}\n`);
setInterval(() => undefined, 60_000);
