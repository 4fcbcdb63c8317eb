/**
 * The view state lives in the URL hash so a view can be copied, reopened, and walked with
 * back/forward. The hash is a query string; keys this module does not own (e.g. `token`) are kept.
 *
 *   #token=..&view=jobs&state=stalled,failed&kind=doc_edit&q=report&sort=updated_at_desc&job=<id>&tab=runs
 *   #view=timeline&e_type=workflow_recovery&e_actor=system&e_order=asc&event=<id>
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

export const VIEWS = ['jobs', 'timeline', 'problems'] as const;
export type View = (typeof VIEWS)[number];

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

export interface ViewState {
  view: View;
  jobs: JobFilters;
  jobId: string | null;
  tab: InspectorTab;
  events: EventFilters;
  eventId: string | null;
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

export const DEFAULT_VIEW_STATE: ViewState = {
  view: 'jobs',
  jobs: DEFAULT_JOB_FILTERS,
  jobId: null,
  tab: 'summary',
  events: DEFAULT_EVENT_FILTERS,
  eventId: null,
  problems: DEFAULT_PROBLEM_FILTERS,
  problem: null,
};

const OWNED_KEYS = [
  'view', 'state', 'kind', 'from', 'to', 'trace', 'run', 'q', 'sort', 'job', 'tab',
  'e_job', 'e_trace', 'e_run', 'e_actor', 'e_type', 'e_from', 'e_to', 'e_order', 'event',
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
