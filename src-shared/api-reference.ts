/**
 * The API reference, generated from the contract itself: every channel's input and output and
 * every push event's payload rendered to JSON Schema by zod's own `toJSONSchema`, with a one-line
 * summary and a worked example per channel. Served at GET /api/schema and written to docs/api.md
 * (scripts/api-docs.ts); typed by the contract, so a new channel without an entry fails to compile.
 */
import { z } from 'zod';
import { JOB_KIND_ALIASES, JOB_KINDS, JobKindInputSchema } from './enums';
import { ERROR_CODES } from './errors';
import { FlightEventSchema } from './events';
import { CHANNELS, CHANNEL_NAMES, PUSH_EVENTS, RecoveryStatusSchema, type Channel, type ChannelInput, type PushEventName } from './ipc';
import { AiJobSchema, WorkflowRunSchema } from './job';
import { Rfc3339Schema } from './time';

const EXAMPLE_JOB_ID = '0190f5e2-7a3b-7c4d-8e5f-a1b2c3d4e5f6';
const EXAMPLE_TRACE_ID = '0190f5e2-7a3b-7c4d-8e5f-0123456789ab';
const EXAMPLE_FINGERPRINT = 'a'.repeat(64);

export const CHANNEL_REFERENCE: { [C in Channel]: { summary: string; example: ChannelInput<C> } } = {
  'system.status': { summary: 'Version, data dir, startup recovery, model runtime, retention and live OTLP export counters.', example: {} },
  'jobs.create': {
    summary: 'Submit a job; it is stored `queued` and returned. Waits while startup recovery runs.',
    example: {
      job_kind: 'doc_summarize',
      protocol_id: 'hsk.docs.summarize.v0',
      access_mode: 'analysis_only',
      job_inputs: { doc_id: '0190f5d2-7c1e-7a55-9d0e-3b1f2a4c5d6e', text: 'Summarise this paragraph.' },
    },
  },
  'jobs.get': { summary: 'One job by its id.', example: { job_id: EXAMPLE_JOB_ID } },
  'jobs.list': {
    summary: 'Jobs filtered by state, kind, creation time, full text (`text`), trace or run; keyset cursor.',
    example: { state: ['failed', 'stalled'], text: 'report', sort: 'created_at_desc', limit: 20 },
  },
  'jobs.cancel': { summary: 'Cancel a job (actor `human`) where the transition table allows it.', example: { job_id: EXAMPLE_JOB_ID, reason: 'no longer needed' } },
  'jobs.resume': { summary: 'Put a stalled or awaiting_user job back in the queue as a new attempt.', example: { job_id: EXAMPLE_JOB_ID } },
  'jobs.fail': { summary: 'Fail a stalled job (actor `human`).', example: { job_id: EXAMPLE_JOB_ID, reason: 'gave up after the crash' } },
  'jobs.accept': {
    summary: 'Accept a job waiting in awaiting_validation or awaiting_user (actor `human`): a result is committed, a consent is given and the job queued.',
    example: { job_id: EXAMPLE_JOB_ID, reason: 'the commands are right' },
  },
  'jobs.reject': {
    summary: 'Reject a job waiting in awaiting_validation or awaiting_user (actor `human`): the job is cancelled and nothing more runs.',
    example: { job_id: EXAMPLE_JOB_ID, reason: 'wrong folder' },
  },
  'runs.list': { summary: 'The workflow runs of a job, each with its node executions.', example: { job_id: EXAMPLE_JOB_ID } },
  'events.list': {
    summary: 'Flight Recorder events filtered by job, trace, run, `type`, actor and time; keyset cursor.',
    example: { job_id: EXAMPLE_JOB_ID, type: ['llm_inference', 'terminal_command'], order: 'asc', limit: 100 },
  },
  'bundles.export': {
    summary: 'Start a debug_bundle_export job for a job, its whole trace (`scope: "trace"`), a problem or a time window; its job_outputs name the ZIP.',
    example: { job_id: EXAMPLE_JOB_ID },
  },
  'traces.export_otlp': {
    summary: 'Write a job, a trace, or the jobs active between `from` and `to` as OTLP JSON Lines in the data dir\'s `exports/` folder.',
    example: { trace_id: EXAMPLE_TRACE_ID },
  },
  'jobs.lookup': { summary: 'Kind and state of jobs by id (the Timeline\'s job column); unknown ids are left out.', example: { job_ids: [EXAMPLE_JOB_ID] } },
  'timeline.lanes': {
    summary: 'Runs and their nodes as bars over a wall-clock window, or runs started per bucket when there are too many.',
    example: { from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T01:00:00.000Z', max_spans: 500 },
  },
  'traces.get': { summary: 'Every job, run, node and event of one trace_id, for the trace view.', example: { trace_id: EXAMPLE_TRACE_ID } },
  'bundles.status': { summary: 'Whether this inspector shows live data or an opened debug bundle (with per-file SHA-256 checks).', example: {} },
  'bundles.download': { summary: 'The ZIP a finished debug_bundle_export job wrote, base64-encoded, for a download.', example: { bundle_id: EXAMPLE_JOB_ID } },
  'bundles.open': {
    summary: 'Open a bundle ZIP (base64) read-only in its own inspector on its own loopback address.',
    example: { file_name: 'bundle.zip', data_base64: 'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==' },
  },
  'jobs.explain': { summary: 'Why a job is where it is: one sentence and the facts behind it (queue, recovery, failure, decision).', example: { job_id: EXAMPLE_JOB_ID } },
  'jobs.count': { summary: 'The total and per-state counts of the jobs a jobs.list filter selects.', example: { job_kind: ['terminal_exec'], text: 'report' } },
  'jobs.cancel_many': {
    summary: 'Cancel several jobs at once (actor `human`, one event per job); jobs that cannot be cancelled are listed as skipped.',
    example: { job_ids: [EXAMPLE_JOB_ID], reason: 'cleaning up' },
  },
  'jobs.rerun': { summary: 'A new job with a finished job\'s kind, protocol, modes and refs, and its inputs or edited ones; linked both ways.', example: { job_id: EXAMPLE_JOB_ID } },
  'jobs.reruns': { summary: 'The job this one re-runs, and the jobs that re-ran it.', example: { job_id: EXAMPLE_JOB_ID } },
  'jobs.terminal_output': { summary: 'The redacted tail of a terminal_exec job\'s captured stdout or stderr.', example: { job_id: EXAMPLE_JOB_ID, stream: 'stdout', max_bytes: 4096 } },
  'problems.list': { summary: 'Problems (diagnostics grouped by fingerprint) filtered by severity, source, surface, status, job and time; keyset cursor.', example: { severity: ['error', 'fatal'], limit: 20 } },
  'problems.get': { summary: 'One problem by `fingerprint` (or by one raw `diagnostic_id`), with its raw instances.', example: { fingerprint: EXAMPLE_FINGERPRINT } },
  'problems.set_status': { summary: 'Set a problem open, acknowledged, muted or resolved (actor `human`, one event).', example: { fingerprint: EXAMPLE_FINGERPRINT, status: 'acknowledged' } },
  'policy.simulate': {
    summary: 'Would a job of this kind, protocol and access mode be granted this capability? Answered by the engine\'s policy code; logged to the Flight Recorder.',
    example: { job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', capability_id: 'terminal.exec' },
  },
  'policy.inspect': { summary: 'A job\'s declared, granted and used capabilities with their decision events.', example: { job_id: EXAMPLE_JOB_ID } },
  'nav.resolve': { summary: 'Resolve a deep link target; one that does not resolve is recorded as a Diagnostic (VAL-NAV-001).', example: { target_kind: 'job', id: EXAMPLE_JOB_ID } },
};

export const PUSH_EVENT_SUMMARIES: Record<PushEventName, string> = {
  'job.changed': 'A job was stored or changed state.',
  'event.appended': 'A Flight Recorder event was appended.',
  'recovery.progress': 'Startup recovery moved on.',
};

/** Shared output shapes, written once under $defs and referenced from the channels. */
const SHARED_OUTPUTS = { AiJob: AiJobSchema, WorkflowRun: WorkflowRunSchema, FlightEvent: FlightEventSchema, RecoveryStatus: RecoveryStatusSchema } as const;

type JsonSchema = Record<string, unknown>;

/** Strings checked by code rather than by a pattern: say in the schema what they accept. */
function describeRefinedStrings(context: { zodSchema: unknown; jsonSchema: JsonSchema }): void {
  if (context.zodSchema === Rfc3339Schema) {
    context.jsonSchema.format = 'date-time';
    context.jsonSchema.description = 'RFC3339 timestamp with an explicit offset, e.g. 2026-01-20T10:00:00.000Z';
  }
  if (context.zodSchema === JobKindInputSchema) {
    context.jsonSchema.enum = [...JOB_KINDS, ...Object.keys(JOB_KIND_ALIASES)];
    context.jsonSchema.description = 'a canonical job kind; the legacy alias term_exec is stored as terminal_exec';
  }
}

/** Without $schema / $id: every part lives in one document whose root holds $defs. */
function bare(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function convert(entries: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(entries)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io, unrepresentable: 'any', uri: (id) => `#/$defs/${id}`, override: describeRefinedStrings });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, bare(schema as JsonSchema)]));
}

export interface ContractDocument {
  $schema: string;
  title: string;
  transport: Record<string, string>;
  $defs: Record<string, JsonSchema>;
  envelope: JsonSchema;
  channels: Record<Channel, { summary: string; input: JsonSchema; output: JsonSchema; example: unknown }>;
  push_events: Record<PushEventName, { summary: string; payload: JsonSchema }>;
}

export const ErrorBodySchema = z.strictObject({
  code: z.enum(Object.values(ERROR_CODES) as [string, ...string[]]),
  message: z.string(),
  details: z.unknown().optional(),
});

/** The whole contract as one JSON document (what GET /api/schema serves). */
export function contractDocument(): ContractDocument {
  const inputs = convert(Object.fromEntries(CHANNEL_NAMES.map((name) => [name, CHANNELS[name].input])), 'input');
  // A channel whose output is a shared shape (jobs.get -> AiJob) refers to it: a registry holds one id per schema.
  const sharedIdOf = new Map<z.ZodType, string>(Object.entries(SHARED_OUTPUTS).map(([id, schema]) => [schema, id]));
  const ownOutputs = CHANNEL_NAMES.filter((name) => !sharedIdOf.has(CHANNELS[name].output));
  const outputs = convert(
    {
      ...SHARED_OUTPUTS,
      ...Object.fromEntries(ownOutputs.map((name) => [`${name}.output`, CHANNELS[name].output])),
      ...Object.fromEntries(Object.entries(PUSH_EVENTS).map(([name, schema]) => [`${name}.payload`, schema])),
      ErrorBody: ErrorBodySchema,
    },
    'output',
  );
  const outputOf = (name: Channel): JsonSchema => {
    const shared = sharedIdOf.get(CHANNELS[name].output);
    return shared ? { $ref: `#/$defs/${shared}` } : outputs[`${name}.output`]!;
  };
  const channels = Object.fromEntries(
    CHANNEL_NAMES.map((name) => [name, { summary: CHANNEL_REFERENCE[name].summary, input: inputs[name]!, output: outputOf(name), example: CHANNEL_REFERENCE[name].example }]),
  ) as ContractDocument['channels'];
  const pushEvents = Object.fromEntries(
    (Object.keys(PUSH_EVENTS) as PushEventName[]).map((name) => [name, { summary: PUSH_EVENT_SUMMARIES[name], payload: outputs[`${name}.payload`]! }]),
  ) as ContractDocument['push_events'];
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Handshake Jobs API',
    transport: {
      rpc: 'POST /api/rpc/<channel> with the input as a JSON body (an empty body is {})',
      auth: 'Authorization: Bearer TOKEN (the token npm run serve prints after #token=)',
      events: 'GET /api/events: Server-Sent Events, one PushMessage { seq, name, payload } per event',
      schema: 'GET /api/schema: this document',
    },
    $defs: Object.fromEntries(Object.keys(SHARED_OUTPUTS).concat('ErrorBody').map((id) => [id, outputs[id]!])),
    envelope: {
      description: 'Every call answers { ok: true, data } with the channel output, or { ok: false, error }.',
      oneOf: [
        { type: 'object', properties: { ok: { const: true }, data: {} }, required: ['ok', 'data'], additionalProperties: false },
        { type: 'object', properties: { ok: { const: false }, error: { $ref: '#/$defs/ErrorBody' } }, required: ['ok', 'error'], additionalProperties: false },
      ],
    },
    channels,
    push_events: pushEvents,
  };
}
