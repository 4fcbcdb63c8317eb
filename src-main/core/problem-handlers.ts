/**
 * The handlers of the third console: problems (diagnostics grouped by fingerprint), the Capability
 * & Policy Inspector with its simulator, and deep-link resolution (VAL-NAV-001).
 */
import { uuidv7 } from '../db/ids';
import { isHskError } from '../../src-shared/errors';
import type { ChannelOutput, ChannelParsedInput } from '../../src-shared/ipc';
import type { AiJob } from '../../src-shared/job';
import { parseRfc3339 } from '../../src-shared/time';
import { CAPABILITY_IDS, profileCapabilities, requiredCapabilities } from '../capabilities';
import { simulateCapability } from '../capabilities/simulate';
import { buildCoderPrompt } from '../diagnostics/coder-prompt';
import { unresolvedLink } from '../diagnostics/producers';
import type { Store } from '../store/store';
import type { ChannelHandlers } from './types';

type ProblemChannel = 'problems.list' | 'problems.get' | 'problems.set_status' | 'policy.simulate' | 'policy.inspect' | 'nav.resolve';

function epoch(value: string | undefined): number | undefined {
  return value === undefined ? undefined : (parseRfc3339(value) ?? undefined);
}

/** Runs `lookup`; a 404 means "does not resolve", anything else is a real error. */
function resolves(lookup: () => unknown): boolean {
  try {
    lookup();
    return true;
  } catch (error) {
    if (isHskError(error) && error.code === 'HSK-404-NOT-FOUND') return false;
    throw error;
  }
}

function jobOrNull(store: Store, jobId: string | null): AiJob | null {
  if (!jobId) return null;
  try {
    return store.getJob(jobId);
  } catch {
    return null;
  }
}

/** The problem, a page of its raw instances, and its coder prompt. */
export function problemDetail(store: Store, input: ChannelParsedInput<'problems.get'>): ChannelOutput<'problems.get'> {
  const fingerprint = input.fingerprint ?? store.getDiagnostic(input.diagnostic_id!).fingerprint;
  const problem = store.getProblem(fingerprint);
  const page = store.problemInstances(fingerprint, input.cursor, input.limit);
  const latest = page.items[0] ?? store.getDiagnostic(problem.latest_diagnostic_id);
  return {
    problem,
    instances: page.items,
    next_cursor: page.next_cursor,
    coder_prompt: buildCoderPrompt({ problem, instances: input.cursor ? [latest] : page.items, job: jobOrNull(store, problem.job_id) }),
  };
}

export function createProblemHandlers(store: Store): Pick<ChannelHandlers, ProblemChannel> {
  return {
    async 'problems.list'(input) {
      return store.listProblems({ ...input, from: epoch(input.from), to: epoch(input.to) });
    },

    async 'problems.get'(input) {
      return problemDetail(store, input);
    },

    async 'problems.set_status'(input) {
      return store.setProblemStatus(input.fingerprint, input.status, input.reason ?? `set_${input.status}_by_operator`);
    },

    async 'policy.simulate'(input) {
      const answer = simulateCapability(input);
      const decision = answer.allowed ? 'allow' : 'deny';
      const event = store.recordEvent({
        type: 'policy_simulation',
        actor: 'human',
        actor_id: 'policy_simulator',
        trace_id: uuidv7(),
        capability_id: input.capability_id,
        payload: {
          job_kind: input.job_kind,
          protocol_id: input.protocol_id,
          access_mode: input.access_mode,
          capability_id: input.capability_id,
          capability_profile_id: answer.capability_profile_id,
          decision_outcome: decision,
          reason: answer.reason,
        },
      });
      return { ...answer, decision_outcome: decision, capability_id: input.capability_id, event_id: event.event_id };
    },

    async 'policy.inspect'(input) {
      const job = store.getJob(input.job_id);
      const events = store.listEvents({ job_id: job.job_id, type: ['capability_action'], order: 'asc', limit: 500 }).items;
      return {
        job_id: job.job_id,
        capability_profile_id: job.capability_profile_id,
        access_mode: job.access_mode,
        declared: [...requiredCapabilities(job.job_kind, job.protocol_id, job.access_mode)],
        granted: [...(profileCapabilities(job.capability_profile_id) ?? [])],
        decisions: events.map((event) => ({
          capability_id: String(event.payload.capability_id),
          decision_outcome: event.payload.decision_outcome === 'allow' ? ('allow' as const) : ('deny' as const),
          reason: typeof event.payload.reason === 'string' ? event.payload.reason : null,
          event_id: event.event_id,
          timestamp: event.timestamp,
        })),
        registry: [...CAPABILITY_IDS],
      };
    },

    async 'nav.resolve'(input) {
      const { target_kind: kind, id } = input;
      const exists = {
        job: () => resolves(() => store.getJob(id)),
        event: () => store.listEvents({ event_id: id, limit: 1 }).items.length > 0,
        diagnostic: () => resolves(() => store.getDiagnostic(id)),
        problem: () => resolves(() => store.getProblem(id)),
      } as const;
      if (exists[kind]()) return { resolved: true, target_kind: kind, id, diagnostic: null };
      const diagnostic = store.recordDiagnostic(unresolvedLink(kind, id, uuidv7()));
      return { resolved: false, target_kind: kind, id, diagnostic };
    },
  };
}
