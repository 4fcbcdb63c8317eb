/**
 * "Run again": a finished job cloned into a new job (jobs.rerun) with the same kind, protocol,
 * modes and refs, in the same trace, and its inputs as they were or edited here. The finished job
 * keeps its state; the two are linked both ways (rerun_of).
 */
import { useState } from 'react';
import type { AiJob, JsonValue } from '../../src-shared/job';
import { useApi } from '../api/ApiContext';
import type { ClientError } from '../api/records';
import { Dialog } from '../components/Dialog';
import { DialogButtons } from '../components/DialogParts';

type Parsed = { ok: true; value: JsonValue | undefined } | { ok: false; message: string };

function parseInputs(text: string): Parsed {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (error) {
    return { ok: false, message: `Inputs are not valid JSON: ${(error as Error).message}` };
  }
}

function issuesOf(error: ClientError): string[] {
  const issues = (error.details as { issues?: Array<{ path: string; message: string }> } | undefined)?.issues ?? [];
  return issues.map((issue) => `${issue.path || 'inputs'}: ${issue.message}`);
}

export function RerunDialog({ job, onClose, onCreated }: { job: AiJob; onClose: () => void; onCreated: (job: AiJob) => void }) {
  const api = useApi();
  const [text, setText] = useState(job.job_inputs === null ? '' : JSON.stringify(job.job_inputs, null, 2));
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const parsed = parseInputs(text);
    if (!parsed.ok) {
      setProblem(parsed.message);
      return;
    }
    setBusy(true);
    const result = await api['jobs.rerun'](parsed.value === undefined ? { job_id: job.job_id } : { job_id: job.job_id, job_inputs: parsed.value });
    setBusy(false);
    if (result.ok) onCreated(result.data);
    else setError(result.error);
  };
  const describedBy = problem || error ? 'rerun-problem' : undefined;
  return (
    <Dialog title="Run again" onClose={onClose} testId="rerun-dialog" className="submit-dialog">
      <p>
        A new <code>{job.job_kind}</code> job with this job’s protocol, modes and refs, in the same trace and linked to it (<code>rerun_of</code>).
        This job stays {job.state}.
      </p>
      <label className="field">
        <span>Inputs (JSON; edit them for the new job)</span>
        <textarea
          className="mono"
          rows={10}
          value={text}
          spellCheck={false}
          aria-invalid={problem !== null || error !== null}
          aria-describedby={describedBy}
          onChange={(event) => {
            setText(event.target.value);
            setProblem(null);
            setError(null);
          }}
          data-testid="rerun-inputs"
        />
      </label>
      {(problem || error) && (
        <div id="rerun-problem" className="field-error" role="alert" data-testid="rerun-error">
          {problem ?? (
            <>
              {error!.message} <code>{error!.code}</code>
              <ul className="plain">
                {issuesOf(error!).map((issue) => (
                  <li key={issue}>{issue}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      <DialogButtons keepLabel="Keep as is" confirmLabel="Run again" busyLabel="Starting…" busy={busy} onKeep={onClose} onConfirm={() => void submit()} testId="rerun-confirm" />
    </Dialog>
  );
}
