/**
 * The evidence card of a problem (§10.5 Evidence Drawer): what it is and how often, the raw JSON of
 * an instance (redacted by default), the linked job with its confidence and a "why linked?" line,
 * the triage links (job, Timeline slice, Policy), statuses, the export entry point and the coder prompt.
 */
import { useState } from 'react';
import { PROBLEM_STATUSES, type Diagnostic, type ProblemStatus } from '../../src-shared/diagnostics';
import { useApi } from '../api/ApiContext';
import type { ClientError } from '../api/records';
import { IdWithCopy } from '../components/CopyButton';
import { JsonViewer } from '../components/JsonViewer';
import { ErrorNote, Loading } from '../components/States';
import { Time } from '../components/Time';
import { ExportBundle } from '../inspector/ExportBundle';
import { useEscape } from '../lib/keyboard';
import { shortId } from '../lib/short-id';
import { DEFAULT_EVENT_FILTERS } from '../state/hash-state';
import { useViewState } from '../state/useViewState';
import { CopyPrompt } from './CopyPrompt';
import { LinkBadge, SeverityBadge } from './ProblemBadges';
import { linkLine } from './problem-filters';
import { useProblemDetail } from './useProblemDetail';

const STATUS_LABELS: Record<ProblemStatus, string> = { open: 'Reopen', acknowledged: 'Acknowledge', muted: 'Mute', resolved: 'Resolve' };

function StatusActions({ fingerprint, status, onChanged }: { fingerprint: string; status: ProblemStatus; onChanged: () => void }) {
  const api = useApi();
  const [error, setError] = useState<ClientError | null>(null);
  const set = async (next: ProblemStatus) => {
    const result = await api['problems.set_status']({ fingerprint, status: next });
    if (result.ok) {
      setError(null);
      onChanged();
    } else setError(result.error);
  };
  return (
    <div className="status-actions" role="group" aria-label="Problem status">
      {PROBLEM_STATUSES.filter((candidate) => candidate !== status).map((next) => (
        <button key={next} type="button" className="button-small" onClick={() => void set(next)} data-testid={`set-status-${next}`}>
          {STATUS_LABELS[next]}
        </button>
      ))}
      {error && <span className="field-error" role="alert">{error.message}</span>}
    </div>
  );
}

function Triage({ instance }: { instance: Diagnostic }) {
  const { navigate } = useViewState();
  const jobId = instance.link_confidence === 'direct' ? instance.job_id : null;
  const openJob = (tab: 'diagnostics' | 'policy') => navigate((state) => ({ ...state, view: 'jobs', jobId, tab, problem: null }));
  const openSlice = () =>
    navigate((state) => ({
      ...state,
      view: 'timeline',
      events: { ...DEFAULT_EVENT_FILTERS, traceId: instance.trace_id, order: 'asc' },
      eventId: instance.evidence_refs.fr_event_ids[0] ?? null,
    }));
  return (
    <div className="status-actions" role="group" aria-label="Related evidence">
      {jobId && (
        <button type="button" className="link" onClick={() => openJob('diagnostics')} data-testid="problem-open-job">
          Open job {shortId(jobId)}
        </button>
      )}
      <button type="button" className="link" onClick={openSlice} data-testid="problem-open-timeline">
        Timeline slice (trace {shortId(instance.trace_id)})
      </button>
      {jobId && (
        <button type="button" className="link" onClick={() => openJob('policy')} data-testid="problem-open-policy">
          Policy decisions
        </button>
      )}
    </div>
  );
}

export function ProblemDrawer({ fingerprint, onClose }: { fingerprint: string; onClose: () => void }) {
  const { detail, error, reload } = useProblemDetail(fingerprint);
  const [shownId, setShownId] = useState<string | null>(null);
  useEscape(onClose);
  if (error) return <aside className="drawer" aria-label="Problem evidence"><ErrorNote error={error} retry={reload} /></aside>;
  if (!detail) return <aside className="drawer" aria-label="Problem evidence"><Loading what="problem" /></aside>;
  const { problem, instances, coder_prompt: prompt } = detail;
  const shown = instances.find((instance) => instance.id === shownId) ?? instances[0]!;
  return (
    <aside className="drawer" aria-label="Problem evidence" data-testid="problem-drawer" data-fingerprint={fingerprint}>
      <header className="drawer-head">
        <h2>
          <SeverityBadge severity={problem.severity} /> {problem.title}
        </h2>
        <button type="button" className="button-small" onClick={onClose} aria-label="Close problem evidence" data-testid="close-problem">
          ×
        </button>
      </header>
      <p className="explanation" data-testid="problem-message">{problem.latest_message ?? 'No message.'}</p>
      <dl className="fields">
        <dt>status</dt>
        <dd data-testid="problem-drawer-status">{problem.status}</dd>
        <dt>seen</dt>
        <dd>
          {problem.count} time(s): first <Time value={problem.first_seen} />, last <Time value={problem.last_seen} />
        </dd>
        <dt>source</dt>
        <dd><code>{problem.source}</code> on <code>{problem.surface}</code>{problem.tool ? <> via <code>{problem.tool}</code></> : null}{problem.code ? <> (code <code>{problem.code}</code>)</> : null}</dd>
        <dt>fingerprint</dt>
        <dd><IdWithCopy value={problem.fingerprint} label="fingerprint" short /></dd>
        <dt>link</dt>
        <dd>
          <LinkBadge confidence={shown.link_confidence} />
          <p className="why-linked" data-testid="why-linked">Why linked? {linkLine(shown)}</p>
          {shown.link_confidence === 'ambiguous' && (
            <p className="why-linked" data-testid="link-candidates">Candidates: {shown.evidence_refs.related_job_ids.map(shortId).join(', ')}</p>
          )}
        </dd>
      </dl>
      <Triage instance={shown} />
      <StatusActions fingerprint={fingerprint} status={problem.status} onChanged={reload} />
      <div className="status-actions">
        <ExportBundle request={{ scope: 'problem', fingerprint }} idPrefix="problem-export" />
        <CopyPrompt prompt={prompt} />
      </div>
      <h3>Raw instances ({instances.length}{detail.next_cursor ? '+' : ''})</h3>
      <ol className="instance-list" data-testid="problem-instances">
        {instances.map((instance) => (
          <li key={instance.id}>
            <button type="button" className="link" aria-pressed={instance.id === shown.id} onClick={() => setShownId(instance.id)} data-testid="problem-instance">
              <Time value={instance.timestamp} /> · {instance.job_id ? `job ${shortId(instance.job_id)}` : 'no job'} · {shortId(instance.id)}
            </button>
          </li>
        ))}
      </ol>
      <JsonViewer value={shown} label="Diagnostic JSON" testId="problem-json" />
      <details>
        <summary>Coder prompt</summary>
        <pre className="json" data-testid="coder-prompt" tabIndex={0}>{prompt}</pre>
      </details>
    </aside>
  );
}
