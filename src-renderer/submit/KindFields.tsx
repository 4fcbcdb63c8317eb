/**
 * The per-kind form over job_inputs: the fields each kind's schema (src-shared/job-inputs) has,
 * editing the same JSON the editor below shows. Kinds with nested inputs (workflow steps, bundles)
 * are edited as JSON, with their expected shape named.
 */
import type { JobKind } from '../../src-shared/enums';
import { DOC_LAYER_SCOPES } from '../../src-shared/job-inputs';
import type { FieldErrors } from './field-errors';
import { inputsObject, withInput, type SubmitForm } from './submit-form';

const MODEL_KINDS: ReadonlySet<JobKind> = new Set<JobKind>(['doc_edit', 'doc_rewrite', 'doc_summarize', 'sheet_transform', 'canvas_cluster', 'spec_router', 'distillation_eval']);
const DOCS_PROFILE_KINDS: ReadonlySet<JobKind> = new Set<JobKind>(['doc_rewrite', 'doc_summarize']);

export const JSON_ONLY_SHAPES: Partial<Record<JobKind, string>> = {
  workflow_run: '{ steps: [{ kind, inputs }] } — each step’s inputs follow its kind’s form',
  debug_bundle_export: '{ target_job_id } or { scope: "trace", trace_id }, and redaction_mode SAFE_DEFAULT | WORKSPACE',
};

interface FieldProps {
  form: SubmitForm;
  errors: FieldErrors;
  onChange: (form: SubmitForm) => void;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function InputError({ name, errors }: { name: string; errors: FieldErrors }) {
  const message = errors[`job_inputs.${name}`];
  return message ? (
    <span id={`submit-input-${name}-error`} className="field-error" data-testid={`submit-error-input-${name}`}>
      {message}
    </span>
  ) : null;
}

function TextInput({ form, errors, onChange, name, label, multiline = false }: FieldProps & { name: string; label: string; multiline?: boolean }) {
  const inputs = inputsObject(form) ?? {};
  const props = {
    value: text(inputs[name]),
    onChange: (event: { target: { value: string } }) => onChange(withInput(form, name, event.target.value)),
    'aria-invalid': Boolean(errors[`job_inputs.${name}`]),
    'aria-describedby': errors[`job_inputs.${name}`] ? `submit-input-${name}-error` : undefined,
    'data-testid': `submit-input-${name}`,
  };
  return (
    <label className="field">
      <span>{label}</span>
      {multiline ? <textarea rows={4} {...props} /> : <input type="text" {...props} />}
      <InputError name={name} errors={errors} />
    </label>
  );
}

/** argv, one argument per line: what runs is exactly these strings, with no shell in between. */
function TerminalFields({ form, errors, onChange }: FieldProps) {
  const inputs = inputsObject(form) ?? {};
  const argv = Array.isArray(inputs.argv) ? inputs.argv.map(text) : [];
  const timeout = typeof inputs.timeout_ms === 'number' ? String(inputs.timeout_ms) : '';
  return (
    <>
      <label className="field">
        <span>Command, one argument per line (no shell)</span>
        <textarea
          className="mono"
          rows={4}
          value={argv.join('\n')}
          onChange={(event) => onChange(withInput(form, 'argv', event.target.value.split('\n').filter((line) => line.length > 0)))}
          aria-invalid={Boolean(errors['job_inputs.argv'])}
          data-testid="submit-input-argv"
        />
        <InputError name="argv" errors={errors} />
      </label>
      <div className="form-row">
        <TextInput form={form} errors={errors} onChange={onChange} name="cwd" label="Working directory (optional)" />
        <label className="field">
          <span>Timeout in ms (optional)</span>
          <input
            type="number"
            min={1}
            value={timeout}
            onChange={(event) => onChange(withInput(form, 'timeout_ms', event.target.value === '' ? undefined : Number(event.target.value)))}
            data-testid="submit-input-timeout_ms"
          />
          <InputError name="timeout_ms" errors={errors} />
        </label>
      </div>
    </>
  );
}

function ModelFields(props: FieldProps) {
  const { form, errors, onChange } = props;
  const inputs = inputsObject(form) ?? {};
  return (
    <>
      <TextInput {...props} name="text" label="Text (or give a path instead)" multiline />
      <div className="form-row">
        <TextInput {...props} name="path" label="Path in the documents folder (instead of text)" />
        <TextInput {...props} name="instruction" label="Instruction (optional)" />
      </div>
      {DOCS_PROFILE_KINDS.has(form.job_kind) && (
        <div className="form-row">
          <TextInput {...props} name="doc_id" label="Document id (UUID)" />
          <label className="field">
            <span>Layer scope</span>
            <select value={text(inputs.layer_scope)} onChange={(event) => onChange(withInput(form, 'layer_scope', event.target.value))} data-testid="submit-input-layer_scope">
              <option value="">not set</option>
              {DOC_LAYER_SCOPES.map((scope) => (
                <option key={scope} value={scope}>{scope}</option>
              ))}
            </select>
            <InputError name="layer_scope" errors={errors} />
          </label>
        </div>
      )}
    </>
  );
}

export function KindFields(props: FieldProps) {
  const kind = props.form.job_kind;
  if (inputsObject(props.form) === null) {
    return <p className="muted" data-testid="submit-fields-unavailable">The inputs below are not a JSON object; fix them to use the form.</p>;
  }
  if (kind === 'terminal_exec') return <TerminalFields {...props} />;
  if (kind === 'doc_ingest' || kind === 'asr_transcribe') return <TextInput {...props} name="path" label="Path in the documents folder" />;
  if (MODEL_KINDS.has(kind)) return <ModelFields {...props} />;
  return (
    <p className="muted" data-testid="submit-json-shape">
      {kind} takes {JSON_ONLY_SHAPES[kind]}; edit it as JSON below.
    </p>
  );
}
