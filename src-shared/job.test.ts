import { describe, expect, it } from 'vitest';
import { JOB_KINDS } from './enums';
import { JobMetricsSchema, JsonPayloadSchema, LIMITS, METRIC_KEYS, NewJobSchema, zeroMetrics } from './job';
import { checkProtocol, defaultProtocol } from './protocols';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level += 1) value = { child: value };
  return value;
}

describe('JsonPayloadSchema', () => {
  it('accepts plain JSON values', () => {
    for (const value of [null, true, 0, -1.5, 'text', [], {}, { a: [1, { b: null }] }]) {
      expect(JsonPayloadSchema.safeParse(value).success).toBe(true);
    }
  });

  it(`accepts nesting up to ${LIMITS.jsonDepth} levels and refuses one more`, () => {
    expect(JsonPayloadSchema.safeParse(nested(LIMITS.jsonDepth)).success).toBe(true);
    const deeper = JsonPayloadSchema.safeParse(nested(LIMITS.jsonDepth + 1));
    expect(deeper.success).toBe(false);
    expect(deeper.error?.issues[0]?.message).toContain('nested deeper');
  });

  it('refuses a payload one byte over the size limit and accepts one at it', () => {
    // JSON.stringify of a string adds two quote bytes.
    const atLimit = 'x'.repeat(LIMITS.jsonPayloadBytes - 2);
    expect(JsonPayloadSchema.safeParse(atLimit).success).toBe(true);
    const over = JsonPayloadSchema.safeParse(`${atLimit}x`);
    expect(over.success).toBe(false);
    expect(over.error?.issues[0]?.message).toContain('bytes');
  });

  it('counts the size in UTF-8 bytes, not characters', () => {
    const euros = '€'.repeat(Math.ceil(LIMITS.jsonPayloadBytes / 3));
    expect(JsonPayloadSchema.safeParse(euros).success).toBe(false);
  });

  it.each([
    ['NaN', { n: Number.NaN }],
    ['Infinity', [Number.POSITIVE_INFINITY]],
    ['-Infinity', { deep: { n: Number.NEGATIVE_INFINITY } }],
  ])('refuses a non-finite number (%s)', (_label, value) => {
    expect(JsonPayloadSchema.safeParse(value).success).toBe(false);
  });

  it.each([
    ['undefined', undefined],
    ['a function', { f: () => 1 }],
    ['a Date', { at: new Date(0) }],
    ['a Map', new Map()],
    ['a bigint', { n: 1n }],
    ['a symbol', [Symbol('s')]],
  ])('refuses a value that is not JSON (%s)', (_label, value) => {
    expect(JsonPayloadSchema.safeParse(value).success).toBe(false);
  });
});

describe('JobMetricsSchema', () => {
  it('has the nine metric fields and a zero object for them', () => {
    expect(METRIC_KEYS).toHaveLength(9);
    expect(zeroMetrics()).toEqual(Object.fromEntries(METRIC_KEYS.map((key) => [key, 0])));
    expect(JobMetricsSchema.safeParse(zeroMetrics()).success).toBe(true);
  });

  it.each([
    ['a missing key', (m: Record<string, unknown>) => delete m.total_tokens],
    ['an extra key', (m: Record<string, unknown>) => (m.cost = 1)],
    ['a negative value', (m: Record<string, unknown>) => (m.duration_ms = -1)],
    ['a fractional value', (m: Record<string, unknown>) => (m.input_tokens = 1.5)],
    ['a string value', (m: Record<string, unknown>) => (m.output_tokens = '3')],
    ['a null value', (m: Record<string, unknown>) => (m.entities_read = null)],
  ])('refuses metrics with %s', (_label, damage) => {
    const metrics: Record<string, unknown> = zeroMetrics();
    damage(metrics);
    expect(JobMetricsSchema.safeParse(metrics).success).toBe(false);
  });
});

const DOC_ID = '00000000-0000-4000-8000-0000000000d0';
const terminal = { job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['echo', 'x'] } };

/** Where the schema refused an input: the dotted paths of its issues. */
function refusedPaths(input: unknown): string[] {
  const result = NewJobSchema.safeParse(input);
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((issue) => issue.path.join('.'));
}

describe('NewJobSchema', () => {
  it('normalises the alias and refuses a state or any unknown field', () => {
    expect(NewJobSchema.parse({ ...terminal, job_kind: 'term_exec' }).job_kind).toBe('terminal_exec');
    expect(NewJobSchema.safeParse({ ...terminal, state: 'running' }).success).toBe(false);
  });

  it('accepts the default protocol and a valid input for every kind', () => {
    const inputs: Record<string, unknown> = {
      terminal_exec: { argv: ['true'] },
      doc_ingest: { path: 'a.md' },
      asr_transcribe: { path: 'a.wav' },
      workflow_run: { steps: [{ kind: 'spec_router', inputs: { text: 'x' } }] },
      debug_bundle_export: { target_job_id: DOC_ID },
      doc_rewrite: { text: 'x', doc_id: DOC_ID },
      doc_summarize: { path: 'a.md', doc_id: DOC_ID, selection: { start_block_id: 'b1', end_block_id: 'b2' }, layer_scope: 'section' },
    };
    for (const kind of JOB_KINDS) {
      const job = { job_kind: kind, protocol_id: defaultProtocol(kind), job_inputs: inputs[kind] ?? { text: 'x' }, entity_refs: [{ entity_kind: 'file', entity_id: 'a.md' }] };
      expect(NewJobSchema.safeParse(job).error?.issues ?? [], kind).toEqual([]);
    }
  });

  it.each([
    ['a protocol the kind does not accept', { ...terminal, protocol_id: 'terminal_exec.v1' }, ['protocol_id']],
    ['another kind\'s protocol', { ...terminal, protocol_id: 'hsk.docs.edit.v0' }, ['protocol_id']],
    ['a terminal_exec with a cmd string instead of argv', { ...terminal, job_inputs: { cmd: 'echo x' } }, ['job_inputs.argv', 'job_inputs']],
    ['a terminal_exec without inputs', { ...terminal, job_inputs: undefined }, ['job_inputs']],
    ['an empty argv', { ...terminal, job_inputs: { argv: [] } }, ['job_inputs.argv']],
    ['a loader variable in env', { ...terminal, job_inputs: { argv: ['ls'], env: { LD_PRELOAD: 'x.so' } } }, ['job_inputs.env']],
    ['a doc_summarize without a doc_id', { job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', job_inputs: { text: 'x' } }, ['job_inputs.doc_id']],
    ['a doc_rewrite whose doc_id is not a UUID', { job_kind: 'doc_rewrite', protocol_id: 'hsk.docs.rewrite.v0', job_inputs: { text: 'x', doc_id: 'doc-1' } }, ['job_inputs.doc_id']],
    ['a docs layer_scope outside block/section/document', { job_kind: 'doc_rewrite', protocol_id: 'hsk.docs.rewrite.v0', job_inputs: { text: 'x', doc_id: DOC_ID, layer_scope: 'page' } }, ['job_inputs.layer_scope']],
    ['model inputs with both text and path', { job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0', job_inputs: { text: 'x', path: 'a.md' } }, ['job_inputs.path']],
    ['a doc_ingest of a file not named in entity_refs', { job_kind: 'doc_ingest', protocol_id: 'hsk.docs.ingest.v0', job_inputs: { path: 'a.md' } }, ['job_inputs.path']],
    ['a workflow step with a bad kind', { job_kind: 'workflow_run', protocol_id: 'hsk.workflow.v0', job_inputs: { steps: [{ kind: 'doc_delete' }] } }, ['job_inputs.steps.0.kind']],
    ['a workflow step whose inputs do not fit its kind', { job_kind: 'workflow_run', protocol_id: 'hsk.workflow.v0', job_inputs: { steps: [{ kind: 'terminal_exec', inputs: { cmd: 'ls' } }] } }, ['job_inputs.steps.0.inputs.argv', 'job_inputs.steps.0.inputs']],
    ['a nested workflow', { job_kind: 'workflow_run', protocol_id: 'hsk.workflow.v0', job_inputs: { steps: [{ kind: 'workflow_run', inputs: {} }] } }, ['job_inputs.steps.0.kind']],
    ['a trace bundle without trace_id', { job_kind: 'debug_bundle_export', protocol_id: 'hsk.bundle.export.v0', job_inputs: { scope: 'trace' } }, ['job_inputs.trace_id']],
    ['a task_schema_version that is not SemVer', { ...terminal, task_schema_version: 'v1' }, ['task_schema_version']],
    ['a task_schema_version this build does not know', { ...terminal, task_schema_version: '2.0.0' }, ['task_schema_version']],
    ['a raw-layer write by a kind that does not ingest', { ...terminal, layer_scope: { read: ['raw'], write: ['raw'] } }, ['layer_scope.write']],
    ['an unknown layer', { ...terminal, layer_scope: { read: ['everything'], write: [] } }, ['layer_scope.read.0']],
    ['a workspace_scope with spaces', { ...terminal, workspace_scope: 'my workspace' }, ['workspace_scope']],
  ])('refuses %s, naming the field', (_label, input, paths) => {
    const refused = refusedPaths(input);
    expect(paths.some((path) => refused.includes(path)), refused.join(', ')).toBe(true);
  });

  it('takes the model kinds without job_inputs, or with only an instruction, as the contract has them optional', () => {
    for (const kind of ['doc_edit', 'sheet_transform', 'canvas_cluster', 'spec_router', 'distillation_eval'] as const) {
      expect(NewJobSchema.safeParse({ job_kind: kind, protocol_id: defaultProtocol(kind) }).success, kind).toBe(true);
    }
    expect(NewJobSchema.safeParse({ job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0', job_inputs: { instruction: 'shorter' } }).success).toBe(true);
    // The DocsAiJobProfile kinds still need their doc_id.
    expect(refusedPaths({ job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0' })).toContain('job_inputs');
  });

  it('lets doc_ingest write the raw layer', () => {
    const job = { job_kind: 'doc_ingest', protocol_id: 'hsk.docs.ingest.v0', job_inputs: { path: 'a.md' }, entity_refs: [{ entity_kind: 'file', entity_id: 'a.md' }], layer_scope: { read: ['raw'], write: ['raw', 'derived'] } };
    expect(NewJobSchema.safeParse(job).success).toBe(true);
  });
});

describe('the protocol registry', () => {
  it('names an unknown version of a known protocol as such', () => {
    expect(checkProtocol('doc_edit', 'hsk.docs.edit.v3')).toMatchObject({ ok: false, reason: 'unknown_protocol_version', message: expect.stringContaining('v3') });
    expect(checkProtocol('doc_edit', 'docs.edit')).toMatchObject({ ok: false, reason: 'unknown_protocol' });
    expect(checkProtocol('workflow_run', 'hsk.governance_pack.export.v0')).toMatchObject({ ok: true, entry: { version: 'v0' } });
  });

  it('has a v0 protocol for every kind, first in its list', () => {
    for (const kind of JOB_KINDS) expect(defaultProtocol(kind)).toMatch(/^hsk\.[a-z_.]+\.v0$/);
  });
});
