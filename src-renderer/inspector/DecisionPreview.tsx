/**
 * What a decision would accept: for a job waiting for consent, the exact commands it would start
 * (argv, one argument per cell, nothing joined or quoted); for a held result, the output the
 * validators produced and what each of them said.
 */
import { commandsOfJob } from '../../src-shared/job-inputs';
import { waitsForConsent, type AiJob } from '../../src-shared/job';
import { JsonViewer } from '../components/JsonViewer';

interface ValidatorLine {
  validator_id: string;
  result: string;
  message: string;
}

function validatorsOf(outputs: AiJob['job_outputs']): ValidatorLine[] {
  if (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs)) return [];
  const validation = outputs.validation;
  if (typeof validation !== 'object' || validation === null || Array.isArray(validation)) return [];
  return Array.isArray(validation.results) ? (validation.results as unknown as ValidatorLine[]) : [];
}

function outputTextOf(outputs: AiJob['job_outputs']): string | null {
  if (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs)) return null;
  return typeof outputs.output_text === 'string' ? outputs.output_text : null;
}

function CommandsPreview({ job }: { job: AiJob }) {
  const commands = commandsOfJob(job.job_kind, job.job_inputs);
  return (
    <div data-testid="decision-preview" data-kind="consent">
      <p>This job starts {commands.length === 1 ? 'this command' : `these ${commands.length} commands`}, without a shell:</p>
      {commands.map((argv, index) => (
        <ol key={index} className="argv" aria-label={`command ${index + 1}`} data-testid="consent-argv">
          {argv.map((arg, position) => (
            <li key={position}>
              <code>{arg}</code>
            </li>
          ))}
        </ol>
      ))}
    </div>
  );
}

function ResultPreview({ job }: { job: AiJob }) {
  const text = outputTextOf(job.job_outputs);
  const validators = validatorsOf(job.job_outputs);
  return (
    <div data-testid="decision-preview" data-kind="result">
      <p>{job.state === 'awaiting_user' ? 'The proposed result, to accept as the job’s outcome:' : 'The result, for you to validate:'}</p>
      {text !== null ? <pre className="output-preview" data-testid="decision-output">{text}</pre> : <JsonViewer value={job.job_outputs} label="Result" testId="decision-output" />}
      {validators.length > 0 && (
        <ul className="plain" data-testid="decision-validators">
          {validators.map((line) => (
            <li key={line.validator_id}>
              <code>{line.validator_id}</code> {line.result}: {line.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function DecisionPreview({ job }: { job: AiJob }) {
  return waitsForConsent(job) ? <CommandsPreview job={job} /> : <ResultPreview job={job} />;
}
