/** The Problems view's filters as a problems.list input (empty filters are left out). */
import type { ChannelInput } from '../../src-shared/ipc';
import type { Problem } from '../../src-shared/diagnostics';
import type { ProblemFilters } from '../state/hash-state';

export const PAGE_SIZE = 200;

export function problemListInput(filters: ProblemFilters, cursor: string | null): ChannelInput<'problems.list'> {
  return {
    ...(filters.severities.length > 0 ? { severity: filters.severities } : {}),
    ...(filters.sources.length > 0 ? { source: filters.sources } : {}),
    ...(filters.surfaces.length > 0 ? { surface: filters.surfaces } : {}),
    ...(filters.statuses.length > 0 ? { status: filters.statuses } : {}),
    ...(filters.jobId ? { job_id: filters.jobId } : {}),
    ...(filters.from ? { from: filters.from } : {}),
    ...(filters.to ? { to: filters.to } : {}),
    ...(cursor ? { cursor } : {}),
    limit: PAGE_SIZE,
  };
}

/** "Why linked?" in one line, and whether the link may be shown as a certain one (P-02). */
export function linkLine(problem: Pick<Problem, 'link_confidence' | 'link_explanation'>): string {
  const words = {
    direct: 'Linked directly',
    inferred: 'Link inferred (not certain)',
    ambiguous: 'Ambiguous: several candidate jobs, none certain',
    unlinked: 'Not linked to any job',
  } as const;
  return `${words[problem.link_confidence]}: ${problem.link_explanation}`;
}
