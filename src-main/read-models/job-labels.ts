/** Kind and state of many jobs at once, for the Timeline's job column: one indexed query, no JSON parsed. */
import type { JobLabel } from '../../src-shared/inspector-views';
import type { ReadSource } from './source';

export function jobLabels(source: ReadSource, jobIds: readonly string[]): JobLabel[] {
  const unique = [...new Set(jobIds)];
  const placeholders = unique.map(() => '?').join(', ');
  const rows = source.db
    .prepare(`SELECT job_id, job_kind, status, trace_id FROM ai_jobs WHERE job_id IN (${placeholders})`)
    .all(...unique) as Array<Omit<JobLabel, 'state'> & { status: JobLabel['state'] }>;
  return rows.map(({ status, ...row }) => ({ ...row, state: status }));
}
