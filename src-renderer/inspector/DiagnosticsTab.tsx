/** The Job Inspector's Diagnostics tab: the problems this job has instances of, each one click from Problems. */
import { useEffect, useState } from 'react';
import type { Problem } from '../../src-shared/diagnostics';
import { useApi, usePush } from '../api/ApiContext';
import type { ClientError } from '../api/records';
import { ErrorNote, Loading } from '../components/States';
import { Time } from '../components/Time';
import { DEFAULT_PROBLEM_FILTERS } from '../state/hash-state';
import { useViewState } from '../state/useViewState';
import { LinkBadge, SeverityBadge } from '../problems/ProblemBadges';
import '../problems/problems.css';

export function DiagnosticsTab({ jobId }: { jobId: string }) {
  const api = useApi();
  const { navigate } = useViewState();
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    void api['problems.list']({ job_id: jobId, limit: 100 }).then((result) => {
      if (!live) return;
      if (result.ok) setProblems(result.data.items);
      else setError(result.error);
    });
    return () => {
      live = false;
    };
  }, [api, jobId, version]);
  usePush('event.appended', (message) => {
    if (message.payload.event.type === 'diagnostic' && message.payload.event.job_id === jobId) setVersion((value) => value + 1);
  });
  const openProblem = (fingerprint: string) =>
    navigate((state) => ({ ...state, view: 'problems', problems: { ...DEFAULT_PROBLEM_FILTERS, jobId }, problem: fingerprint, jobId: null }));
  if (error) return <ErrorNote error={error} />;
  if (!problems) return <Loading what="diagnostics" />;
  return (
    <div className="tab-body">
      {problems.length === 0 ? (
        <p className="muted" data-testid="no-diagnostics">No diagnostics were recorded for this job.</p>
      ) : (
        <ol className="event-list" data-testid="job-diagnostics">
          {problems.map((problem) => (
            <li key={problem.fingerprint}>
              <button type="button" className="link" onClick={() => openProblem(problem.fingerprint)} data-testid="job-diagnostic" data-fingerprint={problem.fingerprint}>
                <SeverityBadge severity={problem.severity} /> {problem.title}
              </button>{' '}
              <span className="muted">
                {problem.count} time(s) overall, last <Time value={problem.last_seen} /> · {problem.status} · <LinkBadge confidence={problem.link_confidence} />
              </span>
              {problem.latest_message && <p className="why-linked">{problem.latest_message}</p>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
