/**
 * One evidence card for an event: its raw JSON (redacted by default) and the linked job, run and
 * trace, each one click away.
 */
import type { FlightEvent } from '../../src-shared/events';
import { DEFAULT_EVENT_FILTERS } from '../state/hash-state';
import { useViewState } from '../state/useViewState';
import { JsonViewer } from '../components/JsonViewer';
import { IdWithCopy } from '../components/CopyButton';
import { Time } from '../components/Time';
import { summariseEvent } from '../lib/event-summary';
import { shortId } from '../lib/short-id';
import { ViewLink, toTrace } from '../components/ViewLink';
import { DrawerFrame } from './DrawerFrame';
import { EvidenceExport } from './EvidenceExport';

export function EvidenceDrawer({ event, onClose }: { event: FlightEvent; onClose: () => void }) {
  const { navigate } = useViewState();
  const openJob = (jobId: string) => navigate((state) => ({ ...state, view: 'jobs', jobId, tab: 'timeline', eventId: null }));
  const openTimeline = (patch: Partial<typeof DEFAULT_EVENT_FILTERS>) =>
    navigate((state) => ({ ...state, view: 'timeline', events: { ...DEFAULT_EVENT_FILTERS, order: 'asc', ...patch }, eventId: event.event_id }));
  return (
    <DrawerFrame
      title={
        <>
          Evidence: <code>{event.type}</code>
        </>
      }
      closeLabel="Close evidence"
      onClose={onClose}
      testId="evidence-drawer"
      closeTestId="close-evidence"
    >
      <p className={event.type === 'workflow_recovery' ? 'explanation recovery-note' : 'explanation'}>{summariseEvent(event)}</p>
      <dl className="fields">
        <dt>event_id</dt>
        <dd><IdWithCopy value={event.event_id} label="event id" /></dd>
        <dt>time</dt>
        <dd><Time value={event.timestamp} /></dd>
        <dt>actor</dt>
        <dd><code>{event.actor}</code>{event.actor_id ? ` (${event.actor_id})` : ''}</dd>
        <dt>job</dt>
        <dd>
          {event.job_id ? (
            <>
              <button type="button" className="link" onClick={() => openJob(event.job_id!)} data-testid="evidence-open-job">
                Open job {shortId(event.job_id)}
              </button>
              <IdWithCopy value={event.job_id} label="job id" short />
            </>
          ) : (
            <span className="muted">none</span>
          )}
        </dd>
        <dt>workflow run</dt>
        <dd>
          {event.workflow_run_id ? (
            <>
              <button type="button" className="link" onClick={() => openTimeline({ workflowRunId: event.workflow_run_id })} data-testid="evidence-open-run">
                Events of run {shortId(event.workflow_run_id)}
              </button>
              <IdWithCopy value={event.workflow_run_id} label="workflow run id" short />
            </>
          ) : (
            <span className="muted">none</span>
          )}
        </dd>
        <dt>trace</dt>
        <dd>
          <button type="button" className="link" onClick={() => openTimeline({ traceId: event.trace_id })} data-testid="evidence-open-trace">
            Events of trace {shortId(event.trace_id)}
          </button>
          <IdWithCopy value={event.trace_id} label="trace id" short />
          <ViewLink to={toTrace(event.trace_id)} testId="evidence-trace-view">
            Trace view
          </ViewLink>
        </dd>
      </dl>
      <EvidenceExport event={event} />
      <JsonViewer value={event} label="Event JSON" testId="evidence-json" />
    </DrawerFrame>
  );
}
