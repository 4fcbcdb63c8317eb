/**
 * Kind and state of the jobs behind the events on screen, fetched in batches (jobs.lookup) and
 * kept: a job's kind never changes, so each id is asked for once per Timeline.
 */
import { useEffect, useRef, useState } from 'react';
import type { JobLabel } from '../../src-shared/inspector-views';
import { LIMITS } from '../../src-shared/job';
import { useApi } from '../api/ApiContext';

export function useJobLabels(jobIds: readonly (string | null)[]): ReadonlyMap<string, JobLabel> {
  const api = useApi();
  const [labels, setLabels] = useState<ReadonlyMap<string, JobLabel>>(new Map());
  const asked = useRef(new Set<string>());
  const wanted = [...new Set(jobIds.filter((id): id is string => id !== null && !asked.current.has(id)))];
  const key = wanted.join(',');

  useEffect(() => {
    if (key === '') return;
    const ids = key.split(',');
    for (const id of ids) asked.current.add(id);
    for (let start = 0; start < ids.length; start += LIMITS.listLimitMax) {
      void api['jobs.lookup']({ job_ids: ids.slice(start, start + LIMITS.listLimitMax) }).then((result) => {
        if (!result.ok) return;
        setLabels((current) => new Map([...current, ...result.data.items.map((label) => [label.job_id, label] as const)]));
      });
    }
  }, [api, key]);

  return labels;
}
