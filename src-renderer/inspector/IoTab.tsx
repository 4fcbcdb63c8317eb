import { useEffect, useState } from 'react';
import type { AiJob } from '../../src-shared/job';
import { JsonViewer } from '../components/JsonViewer';
import { CopyButton } from '../components/CopyButton';
import { sha256OfJson } from '../lib/digest';
import { TerminalOutput } from './TerminalOutput';

function useSha256(value: unknown): string | null {
  const [hash, setHash] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setHash(null);
    void sha256OfJson(value).then((digest) => live && setHash(digest));
    return () => {
      live = false;
    };
  }, [value]);
  return hash;
}

function Payload({ title, value, testId, terms }: { title: string; value: unknown; testId: string; terms?: readonly string[] }) {
  const hash = useSha256(value);
  return (
    <section className="payload" aria-label={title}>
      <h3>{title}</h3>
      <p className="hash-line">
        SHA-256 <span className="muted">(stable-key JSON)</span>{' '}
        <code data-testid={`${testId}-sha256`}>{hash ?? 'computing…'}</code>
        {hash && <CopyButton value={hash} label={`${title} hash`} />}
      </p>
      {value === null ? <p className="muted">none</p> : <JsonViewer value={value} label={title} testId={testId} terms={terms} />}
    </section>
  );
}

/** A terminal_exec job, or a workflow with a terminal_exec step (its alias included). */
function runsCommands(job: AiJob): boolean {
  if (job.job_kind === 'terminal_exec') return true;
  const steps = job.job_kind === 'workflow_run' && job.job_inputs && typeof job.job_inputs === 'object' && !Array.isArray(job.job_inputs) ? job.job_inputs.steps : null;
  return Array.isArray(steps) && steps.some((step) => typeof step === 'object' && step !== null && ['terminal_exec', 'term_exec'].includes(String((step as { kind?: unknown }).kind)));
}

/** Inputs and outputs, each with its hash, redacted until revealed; a command's captured output. */
export function IoTab({ job, terms }: { job: AiJob; terms?: readonly string[] }) {
  return (
    <div className="tab-body">
      {runsCommands(job) && <TerminalOutput jobId={job.job_id} jobVersion={`${job.state}:${job.updated_at}`} />}
      <Payload title="Inputs" value={job.job_inputs} testId="job-inputs" terms={terms} />
      <Payload title="Outputs" value={job.job_outputs} testId="job-outputs" terms={terms} />
    </div>
  );
}
