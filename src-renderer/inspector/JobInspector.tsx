/** The inspector beside the jobs list: header with actions, five tabs, and the evidence drawer. */
import { useEffect, useState } from 'react';
import type { FlightEvent } from '../../src-shared/events';
import { isUnsupported } from '../api/records';
import type { FactLink } from '../../src-shared/inspector';
import { DEFAULT_EVENT_FILTERS, INSPECTOR_TABS, type InspectorTab } from '../state/hash-state';
import { useViewState } from '../state/useViewState';
import { IdWithCopy } from '../components/CopyButton';
import { StateBadge } from '../components/StateBadge';
import { ErrorNote, Loading } from '../components/States';
import { UnsupportedRecordNote } from '../components/UnsupportedRecord';
import { EvidenceDrawer } from '../evidence/EvidenceDrawer';
import { useJobDetail } from './useJobDetail';
import { SummaryTab } from './SummaryTab';
import { TimelineTab } from './TimelineTab';
import { IoTab } from './IoTab';
import { RunsTab } from './RunsTab';
import { PolicyTab } from './PolicyTab';
import { DiagnosticsTab } from './DiagnosticsTab';
import { JobActions } from './JobActions';
import { ExportBundle } from './ExportBundle';
import { ExportOtlpButton } from '../otel/ExportOtlpButton';
import { shortId } from '../lib/short-id';
import { useNow } from '../lib/useNow';
import { useReadOnly } from '../bundle/useBundleStatus';
import { InspectorLinks } from './InspectorLinks';
import { ExplainPanel } from './ExplainPanel';

const TAB_LABELS: Record<InspectorTab, string> = {
  summary: 'Summary',
  timeline: 'Timeline',
  io: 'Inputs/Outputs',
  runs: 'Runs',
  diagnostics: 'Diagnostics',
  policy: 'Policy',
};

function Tabs({ tab, onTab }: { tab: InspectorTab; onTab: (tab: InspectorTab) => void }) {
  const move = (event: React.KeyboardEvent, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = INSPECTOR_TABS[(index + step + INSPECTOR_TABS.length) % INSPECTOR_TABS.length]!;
    onTab(next);
    document.getElementById(`tab-${next}`)?.focus();
  };
  return (
    <div role="tablist" aria-label="Job details" className="tabs">
      {INSPECTOR_TABS.map((name, index) => (
        <button
          key={name}
          id={`tab-${name}`}
          type="button"
          role="tab"
          aria-selected={tab === name}
          aria-controls={`tabpanel-${name}`}
          tabIndex={tab === name ? 0 : -1}
          className="tab"
          onClick={() => onTab(name)}
          onKeyDown={(event) => move(event, index)}
          data-testid={`tab-${name}`}
        >
          {TAB_LABELS[name]}
        </button>
      ))}
    </div>
  );
}

export function JobInspector({ jobId, onClose, terms }: { jobId: string; onClose: () => void; terms?: readonly string[] }) {
  const { state, navigate } = useViewState();
  const detail = useJobDetail(jobId);
  const [evidence, setEvidence] = useState<FlightEvent | null>(null);
  const readOnly = useReadOnly();
  const { job } = detail;
  // Ages and bars tick every 5 s; a running job's duration every second.
  const now = useNow(job?.state === 'running' ? 1_000 : 5_000);
  useEffect(() => setEvidence(null), [jobId]);
  const setTab = (tab: InspectorTab) => navigate((current) => ({ ...current, tab }), { replace: true });
  const openJob = (id: string) => navigate((current) => ({ ...current, view: 'jobs', jobId: id }));
  const openLink = (link: FactLink) => {
    if (link.kind === 'job') return openJob(link.id);
    if (link.kind === 'run') {
      return navigate((current) => ({ ...current, view: 'timeline', events: { ...DEFAULT_EVENT_FILTERS, workflowRunId: link.id, order: 'asc' }, eventId: null }));
    }
    const event = detail.events.find((row): row is FlightEvent => !isUnsupported(row) && row.event_id === link.id);
    if (event) return setEvidence(event);
    navigate((current) => ({ ...current, view: 'timeline', events: { ...DEFAULT_EVENT_FILTERS, jobId, order: 'asc' }, eventId: link.id }));
  };

  return (
    <section className="inspector" aria-label="Job inspector" data-testid="job-inspector" data-job-id={jobId}>
      <header className="inspector-head">
        <div className="inspector-title">
          {job ? (
            <>
              <StateBadge state={job.state} />
              <h2 data-testid="inspector-kind">{job.job_kind}</h2>
              <IdWithCopy value={job.job_id} label="job id" short />
            </>
          ) : (
            <h2>Job {shortId(jobId)}</h2>
          )}
        </div>
        <button type="button" className="button-small" onClick={onClose} aria-label="Close inspector" data-testid="close-inspector">
          ×
        </button>
      </header>
      {detail.error && detail.error.code === 'CLIENT-UNSUPPORTED-RECORD' ? (
        <div className="placeholder" role="alert">
          <UnsupportedRecordNote record={{ unsupported: true, raw_id: jobId, problems: [detail.error.message], raw: null }} />
        </div>
      ) : detail.error ? (
        <ErrorNote error={detail.error} retry={detail.reload} />
      ) : !job ? (
        <Loading what="job" />
      ) : (
        <>
          <div className="inspector-actions">
            {!readOnly && <JobActions job={job} onChanged={() => detail.reload()} onRerun={(created) => openJob(created.job_id)} />}
            {!readOnly && <ExportBundle jobId={job.job_id} />}
            {!readOnly && <ExportOtlpButton scope={() => ({ job_id: job.job_id })} label="Export OTLP" testId="export-otlp-job" />}
            {!readOnly && <ExportOtlpButton scope={() => ({ trace_id: job.trace_id })} label="Export trace as OTLP" testId="export-otlp-trace" />}
            <InspectorLinks job={job} />
          </div>
          <ExplainPanel job={job} now={now} onOpen={openLink} />
          <Tabs tab={state.tab} onTab={setTab} />
          <div role="tabpanel" id={`tabpanel-${state.tab}`} aria-labelledby={`tab-${state.tab}`} className="tabpanel" data-testid={`tabpanel-${state.tab}`} tabIndex={0}>
            {state.tab === 'summary' && <SummaryTab job={job} now={now} />}
            {state.tab === 'timeline' && (
              <TimelineTab job={job} runs={detail.runs} events={detail.events} truncated={detail.eventsTruncated} now={now} onOpenEvent={setEvidence} />
            )}
            {state.tab === 'io' && <IoTab job={job} terms={terms} />}
            {state.tab === 'runs' && <RunsTab runs={detail.runs} error={detail.runsError} now={now} />}
            {state.tab === 'diagnostics' && <DiagnosticsTab jobId={job.job_id} />}
            {state.tab === 'policy' && <PolicyTab job={job} events={detail.events} onOpenEvent={setEvidence} />}
          </div>
        </>
      )}
      {evidence && <EvidenceDrawer event={evidence} onClose={() => setEvidence(null)} />}
    </section>
  );
}
