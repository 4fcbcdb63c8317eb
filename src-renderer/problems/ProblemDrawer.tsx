/**
 * The Evidence Drawer for a problem (§10.5): what it is and how often, the raw JSON of an instance
 * (redacted by default), the linked job with its confidence and a "why linked?" line, the Flight
 * Recorder events the instance cites (each opens in the same drawer as event evidence), the triage
 * links (job, Timeline slice, Policy), statuses, the export entry point and the coder prompt.
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
import { shortId } from '../lib/short-id';
import { DEFAULT_EVENT_FILTERS } from '../state/hash-state';
import { useViewState } from '../state/useViewState';
import { DrawerFrame } from '../evidence/DrawerFrame';
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

/** The events an instance cites, each one click from its own evidence; a long list shows its first few. */
const CITED_EVENTS_SHOWN = 10;

function CitedEvents({ instance, onOpenEvent }: { instance: Diagnostic; onOpenEvent: (eventId: string) => void }) {
  const ids = instance.evidence_refs.fr_event_ids;
  if (ids.length === 0) return <p className="muted">This instance cites no Flight Recorder event.</p>;
  return (
    <ul className="instance-list" data-testid="problem-cited-events">
      {ids.slice(0, CITED_EVENTS_SHOWN).map((eventId) => (
        <li key={eventId}>
          <button type="button" className="link" onClick={() => onOpenEvent(eventId)} data-testid="problem-open-event">
            Open event {shortId(eventId)}
          </button>
        </li>
      ))}
      {ids.length > CITED_EVENTS_SHOWN && <li className="muted">and {ids.length - CITED_EVENTS_SHOWN} more (in the Diagnostic JSON below)</li>}
    </ul>
  );
}

export function ProblemDrawer({ fingerprint, onClose, onOpenEvent }: { fingerprint: string; onClose: () => void; onOpenEvent: (eventId: string) => void }) {
  const { detail, error, reload } = useProblemDetail(fingerprint);
  const [shownId, setShownId] = useState<string | null>(null);
  const frame = { closeLabel: 'Close problem evidence', onClose, testId: 'problem-drawer', closeTestId: 'close-problem', data: { 'data-fingerprint': fingerprint } } as const;
  if (error) return <DrawerFrame {...frame} title="Problem"><ErrorNote error={error} retry={reload} /></DrawerFrame>;
  if (!detail) return <DrawerFrame {...frame} title="Problem"><Loading what="problem" /></DrawerFrame>;
  const { problem, instances, coder_prompt: prompt } = detail;
  const shown = instances.find((instance) => instance.id === shownId) ?? instances[0]!;
  return (
    <DrawerFrame
      {...frame}
      title={
        <>
          <SeverityBadge severity={problem.severity} /> {problem.title}
        </>
      }
    >
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
      <h3>Events this instance cites</h3>
      <CitedEvents instance={shown} onOpenEvent={onOpenEvent} />
      <JsonViewer value={shown} label="Diagnostic JSON" testId="problem-json" />
      <details>
        <summary>Coder prompt</summary>
        <pre className="json" data-testid="coder-prompt" tabIndex={0}>{prompt}</pre>
      </details>
    </DrawerFrame>
  );
}
