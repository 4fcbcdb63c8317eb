/**
 * The view state lives in the URL hash so a view can be copied, reopened, and walked with
 * back/forward. The hash is a query string; keys this module does not own (e.g. `token`) are kept.
 *
 *   #token=..&view=jobs&state=stalled,failed&kind=doc_edit&q=report&sort=updated_at_desc&job=<id>&tab=runs
 *   #view=timeline&e_type=workflow_recovery&e_actor=system&e_order=asc&event=<id>
 *   #view=timeline&lanes=slot&l_from=<t>&l_to=<t>     #view=trace&tr=<trace id>
 *   #view=compare&cmp_a=<job>&cmp_b=<job>              #view=compare&cmp_a=<job>&cmp_ra=<run>&cmp_rb=<run>
 *   #view=problems&p_sev=error,fatal&p_src=engine&p_status=open&p_job=<id>&problem=<fingerprint>
 *
 * Decoding accepts only canonical values (unknown kinds, states, types are dropped).
 */
import { ACTORS, JOB_KINDS, JOB_STATES, type Actor, type JobKind, type JobState } from '../../src-shared/enums';
import { EVENT_TYPES, type EventType } from '../../src-shared/events';
import { JOB_SORTS, type JobSort } from '../../src-shared/ipc';
import {
  DIAGNOSTIC_SEVERITIES,
  DIAGNOSTIC_SOURCES,
  DIAGNOSTIC_SURFACES,
  PROBLEM_STATUSES,
  type DiagnosticSeverity,
  type DiagnosticSurface,
  type ProblemStatus,
} from '../../src-shared/diagnostics';

export const VIEWS = ['jobs', 'timeline', 'problems', 'trace', 'compare'] as const;
export type View = (typeof VIEWS)[number];
/** Views with a place in the header; the others are opened from a job, an event or a run. */
export const NAV_VIEWS = ['jobs', 'timeline', 'problems'] as const satisfies readonly View[];
export type NavView = (typeof NAV_VIEWS)[number];

export const INSPECTOR_TABS = ['summary', 'timeline', 'io', 'runs', 'diagnostics', 'policy'] as const;
export type InspectorTab = (typeof INSPECTOR_TABS)[number];

export interface JobFilters {
  states: JobState[];
  kinds: JobKind[];
  createdFrom: string | null;
  createdTo: string | null;
  traceId: string | null;
  workflowRunId: string | null;
  text: string;
  sort: JobSort;
}

export interface EventFilters {
  jobId: string | null;
  traceId: string | null;
  workflowRunId: string | null;
  actor: Actor | null;
  types: EventType[];
  from: string | null;
  to: string | null;
  order: 'asc' | 'desc';
}

export const LANE_GROUPINGS = ['slot', 'job'] as const;
export type LaneGrouping = (typeof LANE_GROUPINGS)[number];

/** The Timeline's lanes: hidden when `grouping` is null; the window is remembered so it can be linked. */
export interface LanesState {
  grouping: LaneGrouping | null;
  from: string | null;
  to: string | null;
}

export interface ProblemFilters {
  severities: DiagnosticSeverity[];
  /** The fixed sources; plugin:/matcher: sources are listed but not offered as filters. */
  sources: (typeof DIAGNOSTIC_SOURCES)[number][];
  surfaces: DiagnosticSurface[];
  statuses: ProblemStatus[];
  jobId: string | null;
  from: string | null;
  to: string | null;
}

/** Two jobs, or two attempts (runs) of one job, side by side. */
export interface CompareState {
  jobA: string | null;
  jobB: string | null;
  runA: string | null;
  runB: string | null;
}

export interface ViewState {
  view: View;
  jobs: JobFilters;
  jobId: string | null;
  tab: InspectorTab;
  events: EventFilters;
  eventId: string | null;
  lanes: LanesState;
  /** The trace the Trace view shows. */
  traceView: string | null;
  compare: CompareState;
  problems: ProblemFilters;
  /** The selected problem's fingerprint (its evidence drawer is open). */
  problem: string | null;
}

export const DEFAULT_PROBLEM_FILTERS: ProblemFilters = {
  severities: [],
  sources: [],
  surfaces: [],
  statuses: [],
  jobId: null,
  from: null,
  to: null,
};

export const DEFAULT_JOB_FILTERS: JobFilters = {
  states: [],
  kinds: [],
  createdFrom: null,
  createdTo: null,
  traceId: null,
  workflowRunId: null,
  text: '',
  sort: 'created_at_desc',
};

export const DEFAULT_EVENT_FILTERS: EventFilters = {
  jobId: null,
  traceId: null,
  workflowRunId: null,
  actor: null,
  types: [],
  from: null,
  to: null,
  order: 'desc',
};

export const DEFAULT_LANES: LanesState = { grouping: null, from: null, to: null };
export const NO_COMPARE: CompareState = { jobA: null, jobB: null, runA: null, runB: null };

export const DEFAULT_VIEW_STATE: ViewState = {
  view: 'jobs',
  jobs: DEFAULT_JOB_FILTERS,
  jobId: null,
  tab: 'summary',
  events: DEFAULT_EVENT_FILTERS,
  eventId: null,
  lanes: DEFAULT_LANES,
  traceView: null,
  compare: NO_COMPARE,
  problems: DEFAULT_PROBLEM_FILTERS,
  problem: null,
};

const OWNED_KEYS = [
  'view', 'state', 'kind', 'from', 'to', 'trace', 'run', 'q', 'sort', 'job', 'tab',
  'e_job', 'e_trace', 'e_run', 'e_actor', 'e_type', 'e_from', 'e_to', 'e_order', 'event',
  'lanes', 'l_from', 'l_to', 'tr', 'cmp_a', 'cmp_b', 'cmp_ra', 'cmp_rb',
  'p_sev', 'p_src', 'p_surf', 'p_status', 'p_job', 'p_from', 'p_to', 'problem',
] as const;

function oneOf<T extends string>(allowed: readonly T[], value: string | null): T | null {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

function listOf<T extends string>(allowed: readonly T[], value: string | null): T[] {
  if (!value) return [];
  const picked = value.split(',').filter((item): item is T => (allowed as readonly string[]).includes(item));
  return [...new Set(picked)];
}

function text(value: string | null): string | null {
  return value && value.length > 0 ? value : null;
}

export function decodeViewState(hash: string): ViewState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const get = (key: (typeof OWNED_KEYS)[number]) => params.get(key);
  return {
    view: oneOf(VIEWS, get('view')) ?? 'jobs',
    jobs: {
      states: listOf(JOB_STATES, get('state')),
      kinds: listOf(JOB_KINDS, get('kind')),
      createdFrom: text(get('from')),
      createdTo: text(get('to')),
      traceId: text(get('trace')),
      workflowRunId: text(get('run')),
      text: get('q') ?? '',
      sort: oneOf(JOB_SORTS, get('sort')) ?? DEFAULT_JOB_FILTERS.sort,
    },
    jobId: text(get('job')),
    tab: oneOf(INSPECTOR_TABS, get('tab')) ?? 'summary',
    events: {
      jobId: text(get('e_job')),
      traceId: text(get('e_trace')),
      workflowRunId: text(get('e_run')),
      actor: oneOf(ACTORS, get('e_actor')),
      types: listOf(EVENT_TYPES, get('e_type')),
      from: text(get('e_from')),
      to: text(get('e_to')),
      order: oneOf(['asc', 'desc'] as const, get('e_order')) ?? 'desc',
    },
    eventId: text(get('event')),
    lanes: { grouping: oneOf(LANE_GROUPINGS, get('lanes')), from: text(get('l_from')), to: text(get('l_to')) },
    traceView: text(get('tr')),
    compare: { jobA: text(get('cmp_a')), jobB: text(get('cmp_b')), runA: text(get('cmp_ra')), runB: text(get('cmp_rb')) },
    problems: {
      severities: listOf(DIAGNOSTIC_SEVERITIES, get('p_sev')),
      sources: listOf(DIAGNOSTIC_SOURCES, get('p_src')),
      surfaces: listOf(DIAGNOSTIC_SURFACES, get('p_surf')),
      statuses: listOf(PROBLEM_STATUSES, get('p_status')),
      jobId: text(get('p_job')),
      from: text(get('p_from')),
      to: text(get('p_to')),
    },
    problem: text(get('problem')),
  };
}

/** Encodes `state`, keeping keys of `currentHash` this module does not own; defaults are left out. */
export function encodeViewState(state: ViewState, currentHash = ''): string {
  const params = new URLSearchParams(currentHash.replace(/^#/, ''));
  for (const key of OWNED_KEYS) params.delete(key);
  const put = (key: (typeof OWNED_KEYS)[number], value: string | null | undefined, fallback: string | null = null) => {
    if (value !== null && value !== undefined && value !== '' && value !== fallback) params.set(key, value);
  };
  const { jobs, events } = state;
  put('view', state.view, 'jobs');
  put('state', jobs.states.join(','));
  put('kind', jobs.kinds.join(','));
  put('from', jobs.createdFrom);
  put('to', jobs.createdTo);
  put('trace', jobs.traceId);
  put('run', jobs.workflowRunId);
  put('q', jobs.text);
  put('sort', jobs.sort, DEFAULT_JOB_FILTERS.sort);
  put('job', state.jobId);
  put('tab', state.tab, 'summary');
  put('e_job', events.jobId);
  put('e_trace', events.traceId);
  put('e_run', events.workflowRunId);
  put('e_actor', events.actor);
  put('e_type', events.types.join(','));
  put('e_from', events.from);
  put('e_to', events.to);
  put('e_order', events.order, 'desc');
  put('event', state.eventId);
  put('lanes', state.lanes.grouping);
  put('l_from', state.lanes.from);
  put('l_to', state.lanes.to);
  put('tr', state.traceView);
  put('cmp_a', state.compare.jobA);
  put('cmp_b', state.compare.jobB);
  put('cmp_ra', state.compare.runA);
  put('cmp_rb', state.compare.runB);
  const { problems } = state;
  put('p_sev', problems.severities.join(','));
  put('p_src', problems.sources.join(','));
  put('p_surf', problems.surfaces.join(','));
  put('p_status', problems.statuses.join(','));
  put('p_job', problems.jobId);
  put('p_from', problems.from);
  put('p_to', problems.to);
  put('problem', state.problem);
  return `#${params.toString()}`;
}
