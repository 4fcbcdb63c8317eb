/**
 * Stored history -> OpenTelemetry spans, with no I/O: a span per job, a child span per workflow
 * run, a child of the run per node execution, a GenAI client span per recorded model call, and
 * every Flight Recorder event as a span event on the most specific span it belongs to.
 * Ids are derived from the stored ids, so exporting the same history twice gives the same spans:
 * the trace id is the job's trace_id UUID (16 bytes), a span id the first 8 bytes of SHA-256 over
 * the record's kind and id. Every string that leaves goes through the Redactor.
 */
import { createHash } from 'node:crypto';
import { SpanKind, SpanStatusCode, TraceFlags, type Attributes, type AttributeValue, type HrTime, type SpanContext, type SpanStatus } from '@opentelemetry/api';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';
import type { FlightEvent } from '../../src-shared/events';
import type { AiJob, NodeExecution, WorkflowRun } from '../../src-shared/job';
import type { Redactor } from '../security/redact';
import { MODEL_OPERATION, OTEL_ATTR, SCHEMA_URL, SERVICE_NAME, providerAndModel } from './conventions';

/** One job as the store holds it: the record, its runs (with nodes) and its events, oldest first. */
export interface JobHistory {
  job: AiJob;
  runs: WorkflowRun[];
  events: FlightEvent[];
  /** True when the job had more events than an export takes (the oldest are kept). */
  eventsTruncated?: boolean;
}

export interface SpanMappingOptions {
  redactor: Redactor;
  serviceVersion?: string;
}

const ERROR_STATUSES: ReadonlySet<string> = new Set(['failed', 'poisoned', 'stalled']);
const ZERO_SPAN_ID = '0000000000000000';

/** The W3C trace id of a stored trace_id: the UUID's 16 bytes as 32 lowercase hex digits. */
export function traceIdOf(traceUuid: string): string {
  const hex = traceUuid.replaceAll('-', '').toLowerCase();
  return /^0+$/.test(hex) ? createHash('sha256').update(`trace:${traceUuid}`).digest('hex').slice(0, 32) : hex;
}

/** The W3C span id of a stored record: 8 bytes of SHA-256 over its kind and id, never all zero. */
export function spanIdOf(kind: 'job' | 'run' | 'node' | 'event', id: string): string {
  const hex = createHash('sha256').update(`${kind}:${id}`).digest('hex').slice(0, 16);
  return hex === ZERO_SPAN_ID ? '0000000000000001' : hex;
}

function hrTime(epochMs: number): HrTime {
  const seconds = Math.floor(epochMs / 1000);
  return [seconds, Math.round((epochMs - seconds * 1000) * 1e6)];
}

function ms(rfc3339: string): number {
  return Date.parse(rfc3339);
}

function statusOf(state: string, message: string | null): SpanStatus {
  return ERROR_STATUSES.has(state) ? { code: SpanStatusCode.ERROR, message: message ?? state } : { code: SpanStatusCode.UNSET };
}

/** Flight Recorder payload fields as attribute values: scalars as they are, the rest as JSON. */
function payloadAttributes(payload: Record<string, unknown>): Attributes {
  const attributes: Attributes = {};
  for (const [key, value] of Object.entries(payload)) {
    if (value === null || value === undefined) continue;
    attributes[`handshake.payload.${key}`] = attributeValue(value);
  }
  return attributes;
}

function attributeValue(value: unknown): AttributeValue {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  return JSON.stringify(value);
}

interface SpanDraft {
  name: string;
  kind: SpanKind;
  spanId: string;
  parentSpanId: string | null;
  startMs: number;
  endMs: number;
  status: SpanStatus;
  attributes: Attributes;
  events: TimedEvent[];
}

/** Builds the spans of one job; `traceId` and the shared resource are fixed per job. */
class JobSpanBuilder {
  private readonly drafts: SpanDraft[] = [];
  private readonly nodeSpans = new Map<string, { draft: SpanDraft; node: NodeExecution }>();
  private readonly runSpans = new Map<string, SpanDraft>();

  constructor(
    private readonly history: JobHistory,
    private readonly redactor: Redactor,
  ) {}

  build(): SpanDraft[] {
    const { job } = this.history;
    const jobSpan = this.jobSpan(job);
    for (const run of this.history.runs) this.runSpan(run, jobSpan);
    for (const event of this.history.events) this.placeEvent(event, jobSpan);
    jobSpan.attributes['handshake.events.truncated'] = this.history.eventsTruncated === true;
    return this.drafts;
  }

  private add(draft: SpanDraft): SpanDraft {
    // A stored end before its start (clock steps) would make an invalid span.
    this.drafts.push({ ...draft, endMs: Math.max(draft.startMs, draft.endMs) });
    return this.drafts[this.drafts.length - 1]!;
  }

  private jobSpan(job: AiJob): SpanDraft {
    const failed = job.state === 'failed' || job.state === 'poisoned';
    const attributes: Attributes = {
      'handshake.job.id': job.job_id,
      'handshake.job.kind': job.job_kind,
      'handshake.job.state': job.state,
      'handshake.job.status_reason': job.status_reason,
      'handshake.job.protocol_id': job.protocol_id,
      'handshake.job.access_mode': job.access_mode,
      'handshake.job.safety_mode': job.safety_mode,
      'handshake.trace_id': job.trace_id,
    };
    for (const [key, value] of Object.entries(job.metrics)) attributes[`handshake.job.metrics.${key}`] = value;
    if (failed) attributes[OTEL_ATTR.errorType] = job.status_reason;
    return this.add({
      name: `job ${job.job_kind}`,
      kind: SpanKind.INTERNAL,
      spanId: spanIdOf('job', job.job_id),
      parentSpanId: null,
      startMs: ms(job.created_at),
      endMs: ms(job.completed_at ?? job.updated_at),
      status: failed ? { code: SpanStatusCode.ERROR, message: job.error_message ?? job.status_reason } : { code: SpanStatusCode.UNSET },
      attributes,
      events: [],
    });
  }

  private runSpan(run: WorkflowRun, parent: SpanDraft): void {
    const attributes: Attributes = {
      'handshake.workflow_run.id': run.workflow_run_id,
      'handshake.workflow_run.attempt': run.attempt,
      'handshake.workflow_run.status': run.status,
      'handshake.workflow_run.status_reason': run.status_reason,
    };
    if (ERROR_STATUSES.has(run.status)) attributes[OTEL_ATTR.errorType] = run.status_reason;
    const endMs = ms(run.finished_at ?? run.last_heartbeat);
    const draft = this.add({
      name: `run ${this.history.job.job_kind} #${run.attempt}`,
      kind: SpanKind.INTERNAL,
      spanId: spanIdOf('run', run.workflow_run_id),
      parentSpanId: parent.spanId,
      startMs: ms(run.created_at),
      endMs,
      status: statusOf(run.status, run.status_reason),
      attributes,
      events: [],
    });
    this.runSpans.set(run.workflow_run_id, draft);
    for (const node of run.nodes) this.nodeSpan(node, draft, endMs);
  }

  private nodeSpan(node: NodeExecution, parent: SpanDraft, runEndMs: number): void {
    const attributes: Attributes = {
      'handshake.node_execution.id': node.node_execution_id,
      'handshake.node.id': node.node_id,
      'handshake.node.type': node.node_type,
      'handshake.node.sequence': node.sequence,
      'handshake.node.status': node.status,
      'handshake.node.status_reason': node.status_reason,
      ...documentAttributes(node),
    };
    if (ERROR_STATUSES.has(node.status)) attributes[OTEL_ATTR.errorType] = node.status_reason;
    const draft = this.add({
      name: `node ${node.node_id}`,
      kind: SpanKind.INTERNAL,
      spanId: spanIdOf('node', node.node_execution_id),
      parentSpanId: parent.spanId,
      startMs: ms(node.started_at),
      endMs: node.finished_at ? ms(node.finished_at) : runEndMs,
      status: statusOf(node.status, node.error_message ?? node.status_reason),
      attributes,
      events: [],
    });
    this.nodeSpans.set(node.node_execution_id, { draft, node });
  }

  /** The node a run-level event happened in: the one whose time window holds it. */
  private nodeAt(runId: string, atMs: number): SpanDraft | null {
    let found: SpanDraft | null = null;
    for (const { draft, node } of this.nodeSpans.values()) {
      if (node.workflow_run_id === runId && draft.startMs <= atMs && atMs <= draft.endMs) found = draft;
    }
    return found;
  }

  private ownerOf(event: FlightEvent, jobSpan: SpanDraft): SpanDraft {
    const nodeId = event.payload.node_execution_id;
    if (typeof nodeId === 'string' && this.nodeSpans.has(nodeId)) return this.nodeSpans.get(nodeId)!.draft;
    if (!event.workflow_run_id) return jobSpan;
    const isRunLifecycle = event.type.startsWith('workflow_run_') || event.type === 'workflow_recovery' || event.type === 'job_state_changed';
    const node = isRunLifecycle ? null : this.nodeAt(event.workflow_run_id, ms(event.timestamp));
    return node ?? this.runSpans.get(event.workflow_run_id) ?? jobSpan;
  }

  private placeEvent(event: FlightEvent, jobSpan: SpanDraft): void {
    const owner = this.ownerOf(event, jobSpan);
    owner.events.push({ name: event.type, time: hrTime(ms(event.timestamp)), attributes: this.eventAttributes(event) });
    if (event.type === 'llm_inference') this.modelCallSpan(event, owner);
    if (event.type === 'terminal_command') Object.assign(owner.attributes, terminalAttributes(event.payload));
  }

  private eventAttributes(event: FlightEvent): Attributes {
    const attributes: Attributes = {
      'handshake.event.id': event.event_id,
      'handshake.event.seq': event.seq,
      'handshake.actor': event.actor,
      'handshake.actor_id': event.actor_id,
      // Secret-named keys are masked here; every string is redacted once, when the span is finished.
      ...payloadAttributes(this.redactor.maskSecretKeys(event.payload) as Record<string, unknown>),
    };
    if (event.model_id) attributes['handshake.model_id'] = event.model_id;
    if (event.capability_id) attributes['handshake.capability_id'] = event.capability_id;
    return attributes;
  }

  /** FR-EVT-006 llm_inference -> a GenAI inference client span ending when the call was recorded. */
  private modelCallSpan(event: FlightEvent, parent: SpanDraft): void {
    const payload = event.payload as { model_id: string; latency_ms?: number; token_usage: { prompt_tokens: number; completion_tokens: number } };
    const { provider, model } = providerAndModel(payload.model_id);
    const endMs = ms(event.timestamp);
    this.add({
      name: `${MODEL_OPERATION} ${model}`,
      kind: SpanKind.CLIENT,
      spanId: spanIdOf('event', event.event_id),
      parentSpanId: parent.spanId,
      startMs: endMs - (payload.latency_ms ?? 0),
      endMs,
      status: { code: SpanStatusCode.UNSET },
      attributes: {
        [OTEL_ATTR.genAiOperationName]: MODEL_OPERATION,
        [OTEL_ATTR.genAiProviderName]: provider,
        [OTEL_ATTR.genAiRequestModel]: model,
        [OTEL_ATTR.genAiResponseModel]: model,
        [OTEL_ATTR.genAiUsageInputTokens]: payload.token_usage.prompt_tokens,
        [OTEL_ATTR.genAiUsageOutputTokens]: payload.token_usage.completion_tokens,
        'handshake.model_id': payload.model_id,
      },
      events: [],
    });
  }
}

/** FR-EVT-001 terminal_command -> the process attributes of the node that ran it. */
function terminalAttributes(payload: Record<string, unknown>): Attributes {
  const attributes: Attributes = {};
  if (typeof payload.command === 'string') {
    attributes[OTEL_ATTR.processCommand] = payload.command;
    const args = Array.isArray(payload.args) ? payload.args.filter((arg): arg is string => typeof arg === 'string') : [];
    attributes[OTEL_ATTR.processCommandArgs] = [payload.command, ...args];
  }
  if (typeof payload.exit_code === 'number') attributes[OTEL_ATTR.processExitCode] = payload.exit_code;
  if (typeof payload.cwd === 'string') attributes[OTEL_ATTR.processWorkingDirectory] = payload.cwd;
  return attributes;
}

/** A document read (doc_ingest, or a model kind given a path): the file it read, relative to the documents folder. */
function documentAttributes(node: NodeExecution): Attributes {
  const attributes: Attributes = {};
  const read = [node.output_payload, node.input_payload].find(
    (payload): payload is { path: string } => typeof payload === 'object' && payload !== null && !Array.isArray(payload) && typeof (payload as { path?: unknown }).path === 'string',
  );
  if (!read) return attributes;
  attributes[OTEL_ATTR.filePath] = read.path;
  const size = (node.output_payload as { size_bytes?: unknown } | null)?.size_bytes;
  if (typeof size === 'number') attributes[OTEL_ATTR.fileSize] = size;
  return attributes;
}

function redactAttributes(attributes: Attributes, redactor: Redactor): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value === 'string') out[key] = redactor.redactText(value);
    else if (Array.isArray(value)) out[key] = value.map((item) => (typeof item === 'string' ? redactor.redactText(item) : item)) as AttributeValue;
    else out[key] = value;
  }
  return out;
}

function toReadableSpan(draft: SpanDraft, traceId: string, resource: Resource, scope: ReadableSpan['instrumentationScope'], redactor: Redactor): ReadableSpan {
  const context: SpanContext = { traceId, spanId: draft.spanId, traceFlags: TraceFlags.SAMPLED };
  const durationMs = draft.endMs - draft.startMs;
  return {
    name: redactor.redactText(draft.name),
    kind: draft.kind,
    spanContext: () => context,
    parentSpanContext: draft.parentSpanId ? { traceId, spanId: draft.parentSpanId, traceFlags: TraceFlags.SAMPLED } : undefined,
    startTime: hrTime(draft.startMs),
    endTime: hrTime(draft.endMs),
    duration: hrTime(durationMs),
    status: draft.status.message === undefined ? draft.status : { ...draft.status, message: redactor.redactText(draft.status.message) },
    attributes: redactAttributes(draft.attributes, redactor),
    links: [],
    events: draft.events.map((event) => ({ ...event, attributes: redactAttributes(event.attributes ?? {}, redactor) })),
    ended: true,
    resource,
    instrumentationScope: scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

/** The OpenTelemetry spans of some jobs, in a stable order (job, runs, nodes, model calls). */
export function jobHistorySpans(histories: readonly JobHistory[], options: SpanMappingOptions): ReadableSpan[] {
  const resourceAttributes: Attributes = { [OTEL_ATTR.serviceName]: SERVICE_NAME };
  if (options.serviceVersion) resourceAttributes[OTEL_ATTR.serviceVersion] = options.serviceVersion;
  // No schemaUrl on the resource: the transformer would write it inside `resource`, where the
  // proto has no such field; the scope carries it (ScopeSpans.schema_url).
  const resource = resourceFromAttributes(resourceAttributes);
  const scope = { name: SERVICE_NAME, version: options.serviceVersion ?? '', schemaUrl: SCHEMA_URL };
  return histories.flatMap((history) => {
    const traceId = traceIdOf(history.job.trace_id);
    return new JobSpanBuilder(history, options.redactor)
      .build()
      .map((draft) => toReadableSpan(draft, traceId, resource, scope, options.redactor));
  });
}
