/**
 * Submit a job. Kinds come from the canonical list and protocols from the registry only, so
 * neither can be mistyped; each kind has its own fields over job_inputs (and the JSON they make),
 * checked locally with the kind's schema first; API errors land next to the field they name.
 */
import { useState } from 'react';
import { ACCESS_MODES, SAFETY_MODES, type JobKind } from '../../src-shared/enums';
import type { AiJob } from '../../src-shared/job';
import { SUBMITTABLE_KINDS } from '../../src-shared/ipc';
import { protocolsOf } from '../../src-shared/protocols';
import { KindFields } from './KindFields';
import { useApi } from '../api/ApiContext';
import { Dialog } from '../components/Dialog';
import { fieldErrorsFromDetails, type FieldErrors } from './field-errors';
import { defaultForm, validateForm, withKind, type SubmitForm } from './submit-form';

const FORM_FIELDS = ['job_kind', 'protocol_id', 'profile_id', 'access_mode', 'safety_mode', 'trace_id', 'job_inputs'];

function FieldError({ field, errors }: { field: string; errors: FieldErrors }) {
  const message = errors[field];
  if (!message) return null;
  return (
    <span id={`submit-${field}-error`} className="field-error" data-testid={`submit-error-${field}`}>
      {message}
    </span>
  );
}

function describedBy(field: string, errors: FieldErrors): string | undefined {
  return errors[field] ? `submit-${field}-error` : undefined;
}

export function SubmitDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (job: AiJob) => void }) {
  const api = useApi();
  const [form, setForm] = useState<SubmitForm>(() => defaultForm());
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<SubmitForm>) => setForm((current) => ({ ...current, ...patch }));

  const submit = async () => {
    setGeneral(null);
    const validation = validateForm(form);
    if (!validation.ok) {
      setErrors(validation.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    const result = await api['jobs.create'](validation.input);
    setBusy(false);
    if (result.ok) {
      onCreated(result.data);
      return;
    }
    const byField = fieldErrorsFromDetails(result.error.details);
    const known = Object.fromEntries(Object.entries(byField).filter(([field]) => FORM_FIELDS.includes(field)));
    setErrors(known);
    if (Object.keys(known).length === 0) setGeneral(`${result.error.message} (${result.error.code})`);
  };

  return (
    <Dialog title="Submit a job" onClose={onClose} testId="submit-dialog" className="submit-dialog">
      <form
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <label className="field">
          <span>Kind</span>
          <select
            value={form.job_kind}
            onChange={(event) => setForm((current) => withKind(current, event.target.value as JobKind))}
            aria-describedby={describedBy('job_kind', errors)}
            data-testid="submit-kind"
          >
            {SUBMITTABLE_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kind}
              </option>
            ))}
          </select>
          <FieldError field="job_kind" errors={errors} />
        </label>
        <label className="field">
          <span>Protocol</span>
          <select value={form.protocol_id} onChange={(event) => set({ protocol_id: event.target.value })} aria-invalid={Boolean(errors.protocol_id)} aria-describedby={describedBy('protocol_id', errors)} data-testid="submit-protocol">
            {protocolsOf(form.job_kind).map((protocol) => (
              <option key={protocol} value={protocol}>{protocol}</option>
            ))}
          </select>
          <FieldError field="protocol_id" errors={errors} />
        </label>
        <label className="field">
          <span>Profile id</span>
          <input type="text" value={form.profile_id} onChange={(event) => set({ profile_id: event.target.value })} aria-invalid={Boolean(errors.profile_id)} aria-describedby={describedBy('profile_id', errors)} data-testid="submit-profile" />
          <FieldError field="profile_id" errors={errors} />
        </label>
        <div className="form-row">
          <label className="field">
            <span>Access mode</span>
            <select value={form.access_mode} onChange={(event) => set({ access_mode: event.target.value as SubmitForm['access_mode'] })} data-testid="submit-access">
              {ACCESS_MODES.map((mode) => (
                <option key={mode} value={mode}>{mode}</option>
              ))}
            </select>
            <FieldError field="access_mode" errors={errors} />
          </label>
          <label className="field">
            <span>Safety mode</span>
            <select value={form.safety_mode} onChange={(event) => set({ safety_mode: event.target.value as SubmitForm['safety_mode'] })} data-testid="submit-safety">
              {SAFETY_MODES.map((mode) => (
                <option key={mode} value={mode}>{mode}</option>
              ))}
            </select>
            <FieldError field="safety_mode" errors={errors} />
          </label>
        </div>
        <label className="field">
          <span>Trace id (optional)</span>
          <input type="text" className="mono" value={form.trace_id} placeholder="generated when empty" onChange={(event) => set({ trace_id: event.target.value })} aria-invalid={Boolean(errors.trace_id)} aria-describedby={describedBy('trace_id', errors)} data-testid="submit-trace" />
          <FieldError field="trace_id" errors={errors} />
        </label>
        <fieldset className="kind-fields" data-testid="submit-kind-fields">
          <legend>{form.job_kind} inputs</legend>
          <KindFields form={form} errors={errors} onChange={setForm} />
        </fieldset>
        <label className="field">
          <span>Inputs (JSON, the same values as the fields above)</span>
          <textarea
            className="mono"
            rows={8}
            spellCheck={false}
            value={form.job_inputs}
            onChange={(event) => set({ job_inputs: event.target.value })}
            aria-invalid={Boolean(errors.job_inputs)}
            aria-describedby={describedBy('job_inputs', errors)}
            data-testid="submit-inputs"
          />
          <FieldError field="job_inputs" errors={errors} />
        </label>
        {general && (
          <p className="field-error" role="alert" data-testid="submit-error">
            {general}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button-primary" disabled={busy} data-testid="submit-job">
            {busy ? 'Submitting…' : 'Submit job'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
