/**
 * What the Compare view puts side by side, for two jobs or for two attempts of one job: the
 * inputs and outputs to diff, durations, tokens and metrics, and the events to align.
 */
import type { FlightEvent } from '../../src-shared/events';
import { METRIC_KEYS, type AiJob, type WorkflowRun } from '../../src-shared/job';
import type { CompareSide } from './useCompareSide';

export interface CompareColumn {
  title: string;
  inputs: unknown;
  outputs: unknown;
  durationMs: number | null;
  status: string;
  figures: Record<string, number>;
  events: FlightEvent[];
}

function runDuration(run: WorkflowRun): number | null {
  const end = run.finished_at ?? run.last_heartbeat;
  return Date.parse(end) - Date.parse(run.created_at);
}

/** Tokens an attempt used, from its llm_inference events (job metrics add up every attempt). */
function tokensOf(events: readonly FlightEvent[]): Record<string, number> {
  const totals = { total_tokens: 0, input_tokens: 0, output_tokens: 0 };
  for (const event of events) {
    if (event.type !== 'llm_inference') continue;
    const usage = event.payload.token_usage as { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | undefined;
    totals.total_tokens += usage?.total_tokens ?? 0;
    totals.input_tokens += usage?.prompt_tokens ?? 0;
    totals.output_tokens += usage?.completion_tokens ?? 0;
  }
  return totals;
}

export function jobColumn(side: CompareSide): CompareColumn {
  const { job } = side;
  return {
    title: `${job.job_kind} ${job.job_id.slice(-8)}`,
    inputs: job.job_inputs,
    outputs: job.job_outputs,
    durationMs: job.metrics.duration_ms,
    status: job.state,
    figures: Object.fromEntries(METRIC_KEYS.filter((key) => key !== 'duration_ms').map((key) => [key, job.metrics[key]])),
    events: side.events,
  };
}

/** Node inputs and outputs of an attempt, keyed by node id: the job's own inputs are the same for every attempt. */
export function attemptColumn(job: AiJob, run: WorkflowRun, events: readonly FlightEvent[]): CompareColumn {
  const own = events.filter((event) => event.workflow_run_id === run.workflow_run_id);
  const byNode = (pick: 'input_payload' | 'output_payload') => Object.fromEntries(run.nodes.map((node) => [node.node_id, node[pick]]));
  return {
    title: `attempt ${run.attempt} of ${job.job_kind} ${job.job_id.slice(-8)}`,
    inputs: byNode('input_payload'),
    outputs: byNode('output_payload'),
    durationMs: runDuration(run),
    status: run.status,
    figures: { ...tokensOf(own), nodes: run.nodes.length, events: own.length },
    events: own,
  };
}
