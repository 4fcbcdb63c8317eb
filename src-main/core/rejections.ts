/**
 * Auditing refused job submissions: a `job_rejected` event says which field was refused and why,
 * with the spelling the caller sent, so an operator can see that someone tried to submit, say,
 * `governance_pack_export`. No job row is ever written for a refused submission.
 */
import { issuesOfDetails, type ErrorBody } from '../../src-shared/errors';
import type { FlightEvent } from '../../src-shared/events';
import { UuidSchema } from '../../src-shared/job';
import { uuidv7 } from '../db/ids';
import type { Store } from '../store/store';

function firstIssue(error: ErrorBody): { field: string; reason: string } {
  const [first] = issuesOfDetails(error.details);
  return first ? { field: first.path, reason: first.message } : { field: '(root)', reason: error.message };
}

export function recordJobRejection(store: Store, rawInput: unknown, error: ErrorBody): FlightEvent {
  const input = typeof rawInput === 'object' && rawInput !== null ? (rawInput as Record<string, unknown>) : {};
  const trace = UuidSchema.safeParse(input.trace_id);
  const { field, reason } = firstIssue(error);
  return store.recordEvent({
    type: 'job_rejected',
    actor: 'human',
    actor_id: 'submitter',
    trace_id: trace.success ? trace.data : uuidv7(),
    payload: {
      code: error.code,
      field: field.slice(0, 256),
      reason: reason.slice(0, 1024),
      submitted_job_kind: typeof input.job_kind === 'string' ? input.job_kind.slice(0, 128) : null,
    },
  });
}
