/**
 * "Why": the core's explanation of where a job is (jobs.explain), one sentence and the facts
 * behind it, with the records they come from one click away; and the job's rerun links.
 */
import { useEffect, useState } from 'react';
import type { AiJob } from '../../src-shared/job';
import type { ExplanationFact, FactLink, JobExplanation, JobRef, RerunLinks } from '../../src-shared/inspector';
import { useApi } from '../api/ApiContext';
import type { ClientError } from '../api/records';
import { StateBadge } from '../components/StateBadge';
import { Time } from '../components/Time';
import { shortId } from '../lib/short-id';

const LINK_WORDS: Record<FactLink['kind'], string> = { job: 'Open job', event: 'Show event', run: 'Events of run' };

function FactValue({ fact, onOpen }: { fact: ExplanationFact; onOpen: (link: FactLink) => void }) {
  return (
    <>
      {fact.time ? (
        <>
          <Time value={fact.time} /> <span className="muted">({fact.value})</span>
        </>
      ) : (
        <span className={fact.link?.kind === 'job' ? 'mono' : undefined}>{fact.value}</span>
      )}
      {fact.link && (
        <button type="button" className="link" onClick={() => onOpen(fact.link!)} data-testid="fact-link" data-link-kind={fact.link.kind}>
          {LINK_WORDS[fact.link.kind]} {shortId(fact.link.id)}
        </button>
      )}
    </>
  );
}

/** The explanation as shown: a sentence, then the facts (each with its record, when it has one). */
export function ExplanationView({ explanation, onOpen }: { explanation: JobExplanation; onOpen: (link: FactLink) => void }) {
  return (
    <>
      <p className="explain-sentence" data-testid="state-explanation" data-reason={explanation.reason}>
        <StateBadge state={explanation.state} /> <span>{explanation.sentence}</span>
      </p>
      {explanation.facts.length > 0 && (
        <details className="explain-facts" open>
          <summary>The facts behind it</summary>
          <dl className="fields" data-testid="explain-facts">
            {explanation.facts.map((fact, index) => (
              <div key={`${fact.key}-${index}`} className="fact" data-fact={fact.key}>
                <dt>{fact.label}</dt>
                <dd>
                  <FactValue fact={fact} onOpen={onOpen} />
                </dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </>
  );
}

function RerunRef({ job, onOpen }: { job: JobRef; onOpen: (link: FactLink) => void }) {
  return (
    <button type="button" className="link" onClick={() => onOpen({ kind: 'job', id: job.job_id })} data-testid="rerun-link">
      {job.job_kind} {shortId(job.job_id)}
    </button>
  );
}

export function RerunLinksView({ links, onOpen }: { links: RerunLinks; onOpen: (link: FactLink) => void }) {
  if (!links.rerun_of && links.reruns.length === 0) return null;
  return (
    <p className="rerun-links" data-testid="rerun-links">
      {links.rerun_of && (
        <span data-testid="rerun-of">
          Rerun of <RerunRef job={links.rerun_of} onOpen={onOpen} /> <StateBadge state={links.rerun_of.state} />
        </span>
      )}
      {links.reruns.length > 0 && (
        <span data-testid="reruns">
          Run again as{' '}
          {links.reruns.map((job, index) => (
            <span key={job.job_id}>
              {index > 0 && ', '}
              <RerunRef job={job} onOpen={onOpen} /> <StateBadge state={job.state} />
            </span>
          ))}
        </span>
      )}
    </p>
  );
}

/** Fetches again whenever the job changes, and on each tick of `now` while it waits or runs. */
function useExplanation(job: AiJob, now: number) {
  const api = useApi();
  const [explanation, setExplanation] = useState<JobExplanation | null>(null);
  const [links, setLinks] = useState<RerunLinks | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const live = job.state === 'queued' || job.state === 'running';
  const tick = live ? now : 0;
  useEffect(() => {
    let current = true;
    void Promise.all([api['jobs.explain']({ job_id: job.job_id }), api['jobs.reruns']({ job_id: job.job_id })]).then(([why, reruns]) => {
      if (!current) return;
      if (why.ok) {
        setExplanation(why.data);
        setError(null);
      } else setError(why.error);
      if (reruns.ok) setLinks(reruns.data);
    });
    return () => {
      current = false;
    };
  }, [api, job.job_id, job.state, job.status_reason, job.updated_at, tick]);
  return { explanation: explanation?.job_id === job.job_id ? explanation : null, links, error };
}

export function ExplainPanel({ job, now, onOpen }: { job: AiJob; now: number; onOpen: (link: FactLink) => void }) {
  const { explanation, links, error } = useExplanation(job, now);
  return (
    <section className="explain" aria-labelledby="explain-title" data-testid="explain-panel">
      <h3 id="explain-title">Why it is {job.state.replaceAll('_', ' ')}</h3>
      {explanation ? (
        <ExplanationView explanation={explanation} onOpen={onOpen} />
      ) : error ? (
        <p className="field-error" role="alert">
          No explanation: {error.message} <code>{error.code}</code>
        </p>
      ) : (
        <p className="muted" role="status">
          Finding out why…
        </p>
      )}
      {links && <RerunLinksView links={links} onOpen={onOpen} />}
    </section>
  );
}
