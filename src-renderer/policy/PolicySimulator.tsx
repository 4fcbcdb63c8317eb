/**
 * The policy simulator: "would a job of kind X, protocol Y, access mode Z be allowed capability C?"
 * Answered by the engine's own policy code in the main process; every run is logged there.
 */
import { useState } from 'react';
import { ACCESS_MODES, JOB_KINDS, type AccessMode, type JobKind } from '../../src-shared/enums';
import type { ChannelOutput } from '../../src-shared/ipc';
import { useApi } from '../api/ApiContext';
import type { ClientError } from '../api/records';

export interface SimulatorStart {
  job_kind: JobKind;
  protocol_id: string;
  access_mode: AccessMode;
}

function Choice<T extends string>({ label, value, options, onChange, testId }: { label: string; value: T; options: readonly T[]; onChange: (value: T) => void; testId: string }) {
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value} onChange={(event) => onChange(event.target.value as T)} data-testid={testId}>
        {options.map((option) => <option key={option} value={option}>{option}</option>)}
      </select>
    </label>
  );
}

/** `capabilities`: the registry's ids, as the main process serves them (policy.inspect). */
export function PolicySimulator({ start, capabilities }: { start: SimulatorStart; capabilities: readonly string[] }) {
  const api = useApi();
  const [query, setQuery] = useState({ job_kind: start.job_kind, protocol_id: start.protocol_id, access_mode: start.access_mode, capability_id: capabilities[0] ?? '' });
  const [answer, setAnswer] = useState<ChannelOutput<'policy.simulate'> | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const run = async () => {
    const result = await api['policy.simulate'](query);
    if (result.ok) {
      setAnswer(result.data);
      setError(null);
    } else {
      setAnswer(null);
      setError(result.error);
    }
  };
  return (
    <form
      className="simulator-form"
      aria-label="Policy simulator"
      data-testid="policy-simulator"
      onSubmit={(event) => {
        event.preventDefault();
        void run();
      }}
    >
      <div className="simulator">
        <Choice label="Job kind" value={query.job_kind} options={JOB_KINDS} onChange={(job_kind) => setQuery({ ...query, job_kind })} testId="sim-kind" />
        <label className="field">
          <span>Protocol</span>
          <input value={query.protocol_id} onChange={(event) => setQuery({ ...query, protocol_id: event.target.value })} data-testid="sim-protocol" />
        </label>
        <Choice label="Access mode" value={query.access_mode} options={ACCESS_MODES} onChange={(access_mode) => setQuery({ ...query, access_mode })} testId="sim-access" />
        <Choice label="Capability" value={query.capability_id} options={capabilities} onChange={(capability_id) => setQuery({ ...query, capability_id })} testId="sim-capability" />
        <button type="submit" data-testid="sim-run">Would it be allowed?</button>
      </div>
      {answer && (
        <p className="simulator-answer" role="status" data-testid="sim-answer" data-outcome={answer.decision_outcome}>
          <strong>{answer.allowed ? 'Allowed' : 'Denied'}</strong> under profile <code>{answer.capability_profile_id}</code>: {answer.reason}. Logged as event{' '}
          <code>{answer.event_id}</code>.
        </p>
      )}
      {error && <p className="field-error" role="alert">{error.message}</p>}
    </form>
  );
}
