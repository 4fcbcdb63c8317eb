import type { JobState } from '../../src-shared/enums';

/** Colour and text: the colour never carries the meaning alone. */
export function StateBadge({ state }: { state: string }) {
  return (
    <span className={`badge state-${state}`} data-testid="state-badge" data-state={state}>
      {state.replace(/_/g, ' ')}
    </span>
  );
}

export type { JobState };
