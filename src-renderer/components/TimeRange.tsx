import { localInputToRfc3339, rfc3339ToLocalInput } from '../lib/time';

/** From/to in local time; the values kept in state and sent to the API are RFC3339 UTC. */
export function TimeRange({
  from,
  to,
  onChange,
  testId,
}: {
  from: string | null;
  to: string | null;
  onChange: (range: { from: string | null; to: string | null }) => void;
  testId: string;
}) {
  return (
    <>
      <label className="field">
        <span>From</span>
        <input
          type="datetime-local"
          value={rfc3339ToLocalInput(from)}
          onChange={(event) => onChange({ from: localInputToRfc3339(event.target.value), to })}
          data-testid={`${testId}-from`}
        />
      </label>
      <label className="field">
        <span>To</span>
        <input
          type="datetime-local"
          value={rfc3339ToLocalInput(to)}
          onChange={(event) => onChange({ from, to: localInputToRfc3339(event.target.value) })}
          data-testid={`${testId}-to`}
        />
      </label>
    </>
  );
}
