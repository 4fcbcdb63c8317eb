import { DIAGNOSTIC_SEVERITIES, DIAGNOSTIC_SOURCES, DIAGNOSTIC_SURFACES, PROBLEM_STATUSES } from '../../src-shared/diagnostics';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JOB_KINDS, JOB_STATES, ACTORS } from '../../src-shared/enums';
import { EVENT_TYPES } from '../../src-shared/events';
import { JOB_SORTS } from '../../src-shared/ipc';
import { decodeViewState, DEFAULT_VIEW_STATE, encodeViewState, INSPECTOR_TABS, LANE_GROUPINGS, VIEWS, type ViewState } from './hash-state';

describe('view state in the URL hash', () => {
  it('encodes the default state as an empty hash and decodes it back', () => {
    expect(encodeViewState(DEFAULT_VIEW_STATE)).toBe('#');
    expect(decodeViewState('')).toEqual(DEFAULT_VIEW_STATE);
  });

  it('keeps keys it does not own, such as the access token', () => {
    const state: ViewState = { ...DEFAULT_VIEW_STATE, jobId: 'j1', jobs: { ...DEFAULT_VIEW_STATE.jobs, states: ['stalled'] } };
    const hash = encodeViewState(state, '#token=secret&view=timeline');
    expect(new URLSearchParams(hash.slice(1)).get('token')).toBe('secret');
    expect(decodeViewState(hash)).toEqual(state);
  });

  it('drops kinds, states and event types that are not canonical', () => {
    const decoded = decodeViewState('#kind=doc_edit,term_exec,bogus&state=stalled,zombie&e_type=workflow_recovery,nope&e_actor=robot&tab=secret');
    expect(decoded.jobs.kinds).toEqual(['doc_edit']);
    expect(decoded.jobs.states).toEqual(['stalled']);
    expect(decoded.events.types).toEqual(['workflow_recovery']);
    expect(decoded.events.actor).toBeNull();
    expect(decoded.tab).toBe('summary');
  });

  it('round-trips any state made of canonical values', () => {
    const optionalText = fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: null });
    const subset = <T extends string>(values: readonly T[]) => fc.uniqueArray(fc.constantFrom(...values), { maxLength: values.length });
    const stateArb = fc.record({
      view: fc.constantFrom(...VIEWS),
      jobs: fc.record({
        states: subset(JOB_STATES),
        kinds: subset(JOB_KINDS),
        createdFrom: optionalText,
        createdTo: optionalText,
        traceId: optionalText,
        workflowRunId: optionalText,
        text: fc.string({ maxLength: 40 }),
        sort: fc.constantFrom(...JOB_SORTS),
      }),
      jobId: optionalText,
      tab: fc.constantFrom(...INSPECTOR_TABS),
      events: fc.record({
        jobId: optionalText,
        traceId: optionalText,
        workflowRunId: optionalText,
        actor: fc.option(fc.constantFrom(...ACTORS), { nil: null }),
        types: subset(EVENT_TYPES),
        from: optionalText,
        to: optionalText,
        order: fc.constantFrom('asc' as const, 'desc' as const),
      }),
      eventId: optionalText,
      lanes: fc.record({ grouping: fc.option(fc.constantFrom(...LANE_GROUPINGS), { nil: null }), from: optionalText, to: optionalText }),
      traceView: optionalText,
      compare: fc.record({ jobA: optionalText, jobB: optionalText, runA: optionalText, runB: optionalText }),
      problems: fc.record({
        severities: subset(DIAGNOSTIC_SEVERITIES),
        sources: subset(DIAGNOSTIC_SOURCES),
        surfaces: subset(DIAGNOSTIC_SURFACES),
        statuses: subset(PROBLEM_STATUSES),
        jobId: optionalText,
        from: optionalText,
        to: optionalText,
      }),
      problem: optionalText,
    });
    fc.assert(
      fc.property(stateArb, (state) => {
        expect(decodeViewState(encodeViewState(state))).toEqual(state);
      }),
    );
  });
});
