import type { AiJob } from '../../src-shared/job';
import type { FlightEvent } from '../../src-shared/events';
import { isUnsupported, type Row } from '../api/records';
import { EventLine } from '../evidence/EventLine';
import { CapabilityInspector } from '../policy/CapabilityInspector';

function text(value: unknown): string {
  return typeof value === 'string' ? value : '—';
}

/** The job's capability profile, modes, consent and layer scope, and every capability decision with its rule. */
export function PolicyTab({ job, events, onOpenEvent }: { job: AiJob; events: Row<FlightEvent>[]; onOpenEvent: (event: FlightEvent) => void }) {
  const decisions = events.filter((row): row is FlightEvent => !isUnsupported(row) && row.type === 'capability_action');
  return (
    <div className="tab-body">
      <dl className="fields">
        <dt>capability_profile_id</dt>
        <dd><code>{job.capability_profile_id}</code> <span className="muted">(chosen by the app from kind, protocol and access mode)</span></dd>
        <dt>access_mode</dt>
        <dd><code>{job.access_mode}</code></dd>
        <dt>safety_mode</dt>
        <dd><code>{job.safety_mode}</code></dd>
        <dt>consent</dt>
        <dd><code>{job.consent_profile_id}</code>: <code>{job.consent.decision}</code>{job.consent.source ? <> by <code>{job.consent.source}</code></> : null}</dd>
        <dt>layer_scope</dt>
        <dd>read <code>{job.layer_scope.read.join(', ') || 'none'}</code>, write <code>{job.layer_scope.write.join(', ') || 'none'}</code></dd>
      </dl>
      <h3>Declared, granted and used capabilities</h3>
      <CapabilityInspector jobId={job.job_id} job={job} />
      <h3>Capability decisions</h3>
      {decisions.length === 0 ? (
        <p className="muted" data-testid="no-capability-decisions">No capability decisions were recorded for this job.</p>
      ) : (
        <table className="decisions" data-testid="capability-decisions">
          <thead>
            <tr>
              <th scope="col">Outcome</th>
              <th scope="col">Capability</th>
              <th scope="col">Where</th>
              <th scope="col">Rule</th>
              <th scope="col">Event</th>
            </tr>
          </thead>
          <tbody>
            {decisions.map((event) => (
              <tr key={event.event_id} data-testid="capability-decision" data-outcome={text(event.payload.decision_outcome)}>
                <td><code className={`outcome-${text(event.payload.decision_outcome)}`}>{text(event.payload.decision_outcome)}</code></td>
                <td><code>{text(event.payload.capability_id)}</code></td>
                <td>{text(event.payload.checkpoint)}</td>
                <td><code data-testid="decision-rule">{text(event.payload.rule)}</code></td>
                <td><EventLine event={event} onOpen={onOpenEvent} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
