/**
 * Compare: two jobs, or two attempts of one job, side by side: status and duration, tokens and
 * metrics, inputs and outputs as a structural JSON diff, and the events aligned by type and order.
 */
import { useMemo } from 'react';
import type { FlightEvent } from '../../src-shared/events';
import { useViewState } from '../state/useViewState';
import { ErrorNote, Loading, Empty } from '../components/States';
import { Time } from '../components/Time';
import { ViewLink, toJob } from '../components/ViewLink';
import { summariseEvent } from '../lib/event-summary';
import { formatDuration, formatNumber } from '../lib/time';
import { alignEvents } from './align-events';
import { attemptColumn, jobColumn, type CompareColumn } from './compare-model';
import { ComparePicker } from './ComparePicker';
import { JsonDiff } from './JsonDiff';
import { useCompareSide, type CompareSide } from './useCompareSide';

function Figures({ left, right }: { left: CompareColumn; right: CompareColumn }) {
  const names = [...new Set([...Object.keys(left.figures), ...Object.keys(right.figures)])];
  const rows: Array<[string, string, string, string]> = [
    ['status', left.status, right.status, left.status === right.status ? '' : 'differs'],
    ['duration', formatDuration(left.durationMs ?? NaN), formatDuration(right.durationMs ?? NaN), delta(left.durationMs, right.durationMs, formatDuration)],
    ...names.map((name): [string, string, string, string] => {
      const a = left.figures[name] ?? 0;
      const b = right.figures[name] ?? 0;
      return [name, formatNumber(a), formatNumber(b), delta(a, b, formatNumber)];
    }),
  ];
  return (
    <table className="data-table compare-figures" data-testid="compare-figures">
      <caption className="visually-hidden">Durations, tokens and metrics side by side</caption>
      <thead>
        <tr>
          <th scope="col">Figure</th>
          <th scope="col">A: {left.title}</th>
          <th scope="col">B: {right.title}</th>
          <th scope="col">B − A</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, a, b, change]) => (
          <tr key={name} className={change ? 'differs' : undefined} data-testid="compare-figure" data-name={name}>
            <th scope="row"><code>{name}</code></th>
            <td className="num">{a}</td>
            <td className="num">{b}</td>
            <td className="num">{change}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function delta(a: number | null, b: number | null, format: (value: number) => string): string {
  if (a === null || b === null || a === b) return '';
  return `${b > a ? '+' : '−'}${format(Math.abs(b - a))}`;
}

function offset(event: FlightEvent | null, start: number): string {
  return event ? `+${formatDuration(Date.parse(event.timestamp) - start)}` : '';
}

function AlignedEvents({ left, right }: { left: CompareColumn; right: CompareColumn }) {
  const rows = useMemo(() => alignEvents(left.events, right.events), [left.events, right.events]);
  const startA = left.events[0] ? Date.parse(left.events[0].timestamp) : 0;
  const startB = right.events[0] ? Date.parse(right.events[0].timestamp) : 0;
  return (
    <table className="data-table compare-events" data-testid="compare-events">
      <caption className="visually-hidden">Events of A and B aligned by type and order</caption>
      <thead>
        <tr>
          <th scope="col">Type</th>
          <th scope="col">A</th>
          <th scope="col">B</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={index} className={row.left && row.right ? undefined : 'differs'} data-testid="compare-event-row" data-side={row.left && row.right ? 'both' : row.left ? 'a' : 'b'}>
            <th scope="row"><code>{row.type}</code></th>
            <td>{row.left ? <><span className="muted">{offset(row.left, startA)}</span> {summariseEvent(row.left)}</> : <span className="muted">— none —</span>}</td>
            <td>{row.right ? <><span className="muted">{offset(row.right, startB)}</span> {summariseEvent(row.right)}</> : <span className="muted">— none —</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Comparison({ left, right, note }: { left: CompareColumn; right: CompareColumn; note: string | null }) {
  return (
    <div className="compare-body" data-testid="compare-body">
      {note && <p className="notice" role="note">{note}</p>}
      <h3>Durations, tokens and metrics</h3>
      <Figures left={left} right={right} />
      <div className="compare-diffs">
        <div>
          <h3>Inputs</h3>
          <JsonDiff left={left.inputs} right={right.inputs} label="Inputs, A to B" testId="compare-inputs" />
        </div>
        <div>
          <h3>Outputs</h3>
          <JsonDiff left={left.outputs} right={right.outputs} label="Outputs, A to B" testId="compare-outputs" />
        </div>
      </div>
      <h3>Events, aligned by type and order</h3>
      <AlignedEvents left={left} right={right} />
    </div>
  );
}

function truncationNote(...sides: CompareSide[]): string | null {
  return sides.some((side) => side.eventsTruncated) ? 'One side has more events than the comparison reads; only the first ones are aligned.' : null;
}

function Attempts({ side, runA, runB }: { side: CompareSide; runA: string; runB: string }) {
  const first = side.runs.find((run) => run.workflow_run_id === runA);
  const second = side.runs.find((run) => run.workflow_run_id === runB);
  if (!first || !second) return <Empty>One of these attempts is not a run of this job.</Empty>;
  return <Comparison left={attemptColumn(side.job, first, side.events)} right={attemptColumn(side.job, second, side.events)} note={truncationNote(side)} />;
}

function SideHeader({ name, side }: { name: string; side: CompareSide }) {
  return (
    <div className="compare-side" data-testid={`compare-side-${name}`}>
      <strong>{name}</strong>{' '}
      <ViewLink to={toJob(side.job.job_id)}>{side.job.job_kind} {side.job.job_id.slice(-8)}</ViewLink> <span className="muted">{side.job.state} · created <Time value={side.job.created_at} /></span>
    </div>
  );
}

export function CompareView() {
  const { state } = useViewState();
  const { jobA, jobB, runA, runB } = state.compare;
  const a = useCompareSide(jobA);
  const b = useCompareSide(jobB && !runA ? jobB : null);
  const error = a.error ?? b.error;
  let body: React.ReactNode;
  if (!jobA) body = <Empty>Open Compare from a job (its inspector has a Compare link).</Empty>;
  else if (error) body = <ErrorNote error={error} />;
  else if (!a.side) body = <Loading what="job" />;
  else if (runA && runB) body = <Attempts side={a.side} runA={runA} runB={runB} />;
  else if (!jobB) body = <ComparePicker side={a.side} />;
  else if (!b.side) body = <Loading what="job" />;
  else body = <Comparison left={jobColumn(a.side)} right={jobColumn(b.side)} note={truncationNote(a.side, b.side)} />;
  return (
    <div className="compare-view" data-testid="compare-view">
      <header className="view-head">
        <h2>Compare {runA && runB ? 'attempts' : 'jobs'}</h2>
        {a.side && <SideHeader name="A" side={a.side} />}
        {b.side && <SideHeader name="B" side={b.side} />}
      </header>
      <div className="compare-scroll">{body}</div>
    </div>
  );
}
