/** Milestones a test waits for on a running core, from its own push messages. */
import { isTerminalState } from '../../src-shared/transitions';
import type { PushMessage } from '../../src-shared/ipc';
import type { HandshakeCore } from '../core/types';

/** Resolves when the job is in a terminal state: already, or on the push that says so. */
export function jobFinished(core: HandshakeCore, jobId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      stop();
      resolve();
    };
    const stop = core.subscribe((message) => {
      const job = message.name === 'job.changed' ? (message as PushMessage<'job.changed'>).payload.job : null;
      if (job?.job_id === jobId && isTerminalState(job.state)) done();
    });
    core.handlers['jobs.get']({ job_id: jobId }).then((job) => {
      if (isTerminalState(job.state)) done();
    }, reject);
  });
}
