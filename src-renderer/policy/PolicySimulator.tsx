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
        <label className="field">
          <span>Job kind</span>
          <select value={query.job_kind} onChange={(event) => setQuery({ ...query, job_kind: event.target.value as JobKind })} data-testid="sim-kind">
            {JOB_KINDS.map((kind) => <option key={kind} value={kind}>{kind}</option>)}
          </select>
        </label>
        <label className="field">
          <span>Protocol</span>
          <input value={query.protocol_id} onChange={(event) => setQuery({ ...query, protocol_id: event.target.value })} data-testid="sim-protocol" />
        </label>
        <label className="field">
          <span>Access mode</span>
          <select value={query.access_mode} onChange={(event) => setQuery({ ...query, access_mode: event.target.value as AccessMode })} data-testid="sim-access">
            {ACCESS_MODES.map((mode) => <option key={mode} value={mode}>{mode}</option>)}
          </select>
        </label>
        <label className="field">
          <span>Capability</span>
          <select value={query.capability_id} onChange={(event) => setQuery({ ...query, capability_id: event.target.value })} data-testid="sim-capability">
            {capabilities.map((capability) => <option key={capability} value={capability}>{capability}</option>)}
          </select>
        </label>
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
