/** Two runs' (or jobs') events side by side, aligned by type and order. */
import type { FlightEvent } from '../../src-shared/events';
import { alignSequences } from './json-diff';

export interface AlignedRow {
  type: string;
  left: FlightEvent | null;
  right: FlightEvent | null;
}

export function alignEvents(left: readonly FlightEvent[], right: readonly FlightEvent[]): AlignedRow[] {
  let a = 0;
  let b = 0;
  return alignSequences(left.map((event) => event.type), right.map((event) => event.type)).map((step) => {
    const leftEvent = step === 'right' ? null : left[a++] ?? null;
    const rightEvent = step === 'left' ? null : right[b++] ?? null;
    return { type: (leftEvent ?? rightEvent)!.type, left: leftEvent, right: rightEvent };
  });
}
