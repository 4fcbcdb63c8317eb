/**
 * jobs.explain: why a job is where it is, in one sentence and the facts behind it, from what the
 * store, the engine's configuration and startup recovery know now.
 */
import type { JobExplanation } from '../../src-shared/inspector';
import { toRfc3339 } from '../../src-shared/time';
import { JobEvidence, QueueQueries, type ExplainSources } from './evidence';
import { ruleFor } from './rules';

export type { ExplainSources } from './evidence';

export function createExplainer(sources: ExplainSources): (jobId: string) => JobExplanation {
  const queue = new QueueQueries(sources.store.attach((access) => access.db));
  return (jobId) => {
    const evidence = new JobEvidence(sources.store.getJob(jobId), sources, queue);
    const { reason, sentence, facts } = ruleFor(evidence)(evidence);
    return { job_id: evidence.job.job_id, state: evidence.job.state, reason, sentence, facts, explained_at: toRfc3339(evidence.now) };
  };
}
