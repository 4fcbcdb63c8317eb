/**
 * Operator actions, shown only where the transition table allows them (never resume a poisoned
 * job), and the accept / reject decisions on a job that waits for a person. Each asks for
 * confirmation (a decision shows what would be accepted: the exact commands, or the result) and
 * then shows the Flight Recorder event it produced.
 */
import { useState } from 'react';
import { waitsForConsent, type AiJob } from '../../src-shared/job';
import type { FlightEvent } from '../../src-shared/events';
import {
  OPERATOR_ACTIONS,
  decisionTarget,
  isDecisionState,
  operatorMay,
  type OperatorAction,
  type OperatorDecision,
} from '../../src-shared/transitions';
import { useApi } from '../api/ApiContext';
import { isUnsupported, type ClientError } from '../api/records';
import { Dialog } from '../components/Dialog';
import { DialogButtons, ErrorLine, ReasonField } from '../components/DialogParts';
import { summariseEvent } from '../lib/event-summary';
import { isTerminalState } from '../../src-shared/transitions';
import { DecisionPreview } from './DecisionPreview';
import { RerunDialog } from './RerunDialog';

type Action = OperatorAction | OperatorDecision;

const ACTION_WORDS: Record<Action, { label: string; question: string }> = {
  cancel: { label: 'Cancel job', question: 'Cancel this job? It will stop and cannot be restarted (it can be run again as a new job).' },
  resume: { label: 'Resume', question: 'Resume this job? It goes back to the queue and runs again as a new attempt.' },
  fail: { label: 'Mark failed', question: 'Mark this job as failed? It will not run again.' },
  accept: { label: 'Accept', question: 'Accept what is shown below?' },
  reject: { label: 'Reject', question: 'Reject what is shown below? The job is cancelled.' },
};

const CONSENT_WORDS: Record<OperatorDecision, { label: string; question: string }> = {
  accept: { label: 'Consent and run', question: 'Run exactly these commands? Your consent holds for this job for one hour.' },
  reject: { label: 'Refuse', question: 'Refuse to run these commands? The job is cancelled and nothing runs.' },
};

const ACTION_ORDER: OperatorAction[] = ['resume', 'cancel', 'fail'];
const DECISIONS: OperatorDecision[] = ['accept', 'reject'];

function isDecision(action: Action): action is OperatorDecision {
  return (DECISIONS as readonly string[]).includes(action);
}

function wordsFor(job: AiJob, action: Action): { label: string; question: string } {
  return isDecision(action) && waitsForConsent(job) ? CONSENT_WORDS[action] : ACTION_WORDS[action];
}

function targetOf(job: AiJob, action: Action): string {
  return isDecision(action) ? decisionTarget(action, waitsForConsent(job)) : OPERATOR_ACTIONS[action];
}

export function allowedActions(job: Pick<AiJob, 'state'>): Action[] {
  const decisions = isDecisionState(job.state) ? DECISIONS : [];
  return [...decisions, ...ACTION_ORDER.filter((action) => operatorMay(action, job.state) && !(decisions.length > 0 && action === 'cancel'))];
}

function ConfirmAction({ job, action, onClose, onDone }: { job: AiJob; action: Action; onClose: () => void; onDone: (event: FlightEvent | null, updated: AiJob) => void }) {
  const api = useApi();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientError | null>(null);
  const confirm = async () => {
    setBusy(true);
    const input = reason.trim() ? { job_id: job.job_id, reason: reason.trim() } : { job_id: job.job_id };
    const result = await api[`jobs.${action}`](input);
    if (!result.ok) {
      setBusy(false);
      setError(result.error);
      return;
    }
    const recorded = await api['events.list']({ job_id: job.job_id, actor: 'human', order: 'desc', limit: 1 });
    const latest = recorded.ok ? recorded.data.items[0] : undefined;
    onDone(latest && !isUnsupported(latest) ? latest : null, result.data);
  };
  return (
    <Dialog title={wordsFor(job, action).label} onClose={onClose} testId="confirm-dialog">
      <p>{wordsFor(job, action).question}</p>
      {isDecision(action) && <DecisionPreview job={job} />}
      <p className="muted">
        {job.state} → {targetOf(job, action)}, recorded in the Flight Recorder with actor <code>human</code>.
      </p>
      <ReasonField value={reason} onChange={setReason} testId="action-reason" />
      <ErrorLine error={error} testId="action-error" />
      <DialogButtons
        keepLabel="Keep as is"
        confirmLabel={wordsFor(job, action).label}
        busyLabel="Working…"
        busy={busy}
        onKeep={onClose}
        onConfirm={() => void confirm()}
        testId="confirm-action"
      />
    </Dialog>
  );
}

export function JobActions({ job, onChanged, onRerun }: { job: AiJob; onChanged: (job: AiJob) => void; onRerun: (job: AiJob) => void }) {
  const [pending, setPending] = useState<Action | null>(null);
  const [rerunning, setRerunning] = useState(false);
  const [recorded, setRecorded] = useState<{ action: Action; label: string; event: FlightEvent | null } | null>(null);
  const actions = allowedActions(job);
  return (
    <div className="job-actions">
      {actions.map((action) => (
        <button key={action} type="button" className={action === 'accept' ? 'button-primary' : undefined} onClick={() => setPending(action)} data-testid={`action-${action}`}>
          {wordsFor(job, action).label}
        </button>
      ))}
      {isTerminalState(job.state) && (
        <button type="button" onClick={() => setRerunning(true)} data-testid="action-rerun">
          Run again…
        </button>
      )}
      {rerunning && (
        <RerunDialog
          job={job}
          onClose={() => setRerunning(false)}
          onCreated={(created) => {
            setRerunning(false);
            onRerun(created);
          }}
        />
      )}
      {pending && (
        <ConfirmAction
          job={job}
          action={pending}
          onClose={() => setPending(null)}
          onDone={(event, updated) => {
            setRecorded({ action: pending, label: wordsFor(job, pending).label, event });
            setPending(null);
            onChanged(updated);
          }}
        />
      )}
      {recorded && (
        <p className="action-result" role="status" data-testid="action-result">
          {recorded.label}: done.{' '}
          {recorded.event ? (
            <>
              Recorded <code>{recorded.event.type}</code> by <code data-testid="action-result-actor">{recorded.event.actor}</code>:{' '}
              {summariseEvent(recorded.event)}
            </>
          ) : (
            'The Flight Recorder event could not be loaded.'
          )}
          <button type="button" className="button-small" aria-label="Dismiss" onClick={() => setRecorded(null)}>
            ×
          </button>
        </p>
      )}
    </div>
  );
}
