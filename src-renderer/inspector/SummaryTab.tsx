import type { AiJob } from '../../src-shared/job';
import { METRIC_KEYS } from '../../src-shared/job';
import { IdWithCopy } from '../components/CopyButton';
import { Time } from '../components/Time';
import { liveDurationMs } from '../jobs/live-duration';
import { formatDuration, formatNumber } from '../lib/time';

function Field({ name, children }: { name: string; children: React.ReactNode }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Id({ value, label }: { value: string | null; label: string }) {
  return value ? <IdWithCopy value={value} label={label} /> : <span className="muted">none</span>;
}

function MetricsTable({ metrics, live }: { metrics: AiJob['metrics']; live: boolean }) {
  return (
    <table className="metrics" data-testid="metrics-table">
      <caption>Metrics{live ? ' (run time so far)' : ''}</caption>
      <tbody>
        {METRIC_KEYS.map((key) => (
          <tr key={key}>
            <th scope="row">{key}</th>
            <td className="num">{key === 'duration_ms' ? `${formatNumber(metrics[key])} ms (${formatDuration(metrics[key])})` : formatNumber(metrics[key])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Every AiJob field (the Why panel above says where the job is and why). */
export function SummaryTab({ job, now }: { job: AiJob; now: number }) {
  return (
    <div className="tab-body">
      {job.error_message && (
        <p className="error-text" data-testid="job-error-message">
          {job.error_message}
        </p>
      )}
      <dl className="fields" data-testid="job-fields">
        <Field name="job_id"><Id value={job.job_id} label="job id" /></Field>
        <Field name="trace_id"><Id value={job.trace_id} label="trace id" /></Field>
        <Field name="workflow_run_id"><Id value={job.workflow_run_id} label="workflow run id" /></Field>
        <Field name="job_kind"><code>{job.job_kind}</code></Field>
        <Field name="state"><code>{job.state}</code></Field>
        <Field name="status_reason"><code>{job.status_reason || '—'}</code></Field>
        <Field name="error_message">{job.error_message ?? <span className="muted">none</span>}</Field>
        <Field name="protocol_id"><code>{job.protocol_id}</code></Field>
        <Field name="profile_id"><code>{job.profile_id}</code></Field>
        <Field name="capability_profile_id"><code>{job.capability_profile_id}</code></Field>
        <Field name="access_mode"><code>{job.access_mode}</code></Field>
        <Field name="safety_mode"><code>{job.safety_mode}</code></Field>
        <Field name="entity_refs">
          {job.entity_refs.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            <ul className="plain">
              {job.entity_refs.map((ref, index) => (
                <li key={index}>
                  <code>{ref.entity_kind}</code> {ref.entity_id}
                  {ref.selector ? ` (${ref.selector})` : ''}
                </li>
              ))}
            </ul>
          )}
        </Field>
        <Field name="planned_operations">
          {job.planned_operations.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            <ul className="plain">
              {job.planned_operations.map((operation, index) => (
                <li key={index}>
                  <code>{operation.op_type}</code> {operation.target.entity_kind}:{operation.target.entity_id}
                  {operation.description ? ` — ${operation.description}` : ''}
                </li>
              ))}
            </ul>
          )}
        </Field>
        <Field name="created_at"><Time value={job.created_at} /></Field>
        <Field name="updated_at"><Time value={job.updated_at} /></Field>
        <Field name="completed_at"><Time value={job.completed_at} /></Field>
        <Field name="task_schema_version"><code>{job.task_schema_version}</code></Field>
        <Field name="workspace_scope"><code>{job.workspace_scope}</code></Field>
        <Field name="execution_mode"><code>{job.execution_mode}</code></Field>
        <Field name="runtime_id"><code>{job.runtime_id}</code></Field>
        <Field name="flight_recorder_span_id"><Id value={job.flight_recorder_span_id} label="span id" /></Field>
        <Field name="consent_profile_id"><code>{job.consent_profile_id}</code></Field>
        <Field name="consent">
          <code data-testid="consent-decision">{job.consent.decision}</code>
          {job.consent.source ? <> by <code>{job.consent.source}</code></> : null}
          {job.consent.expires_at ? <> until <Time value={job.consent.expires_at} /></> : null}
        </Field>
        <Field name="layer_scope">
          read <code>{job.layer_scope.read.join(', ') || 'none'}</code>, write <code>{job.layer_scope.write.join(', ') || 'none'}</code>
        </Field>
      </dl>
      <MetricsTable metrics={{ ...job.metrics, duration_ms: liveDurationMs(job, now) }} live={job.state === 'running'} />
    </div>
  );
}
