import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MockModelRuntime } from '../model-runtime/mock';
import { attributeMap, decodeTracesDataJson, spansOf, traceProblems, type DecodedSpan } from '../testing/otlp-proto';
import { drain, makeRig, type TestRig } from '../testing/workflows';
import { writeOtlpExport, type OtlpScope } from './otlp-export';

let rig: TestRig;
afterEach(async () => {
  await rig.close();
});

const SECRET = 'sk-abcdefghijklmnopqrstuvwxyz123456';
/** OTLP SpanKind as the proto numbers it. */
const SPAN_KIND = { internal: 1, client: 3 } as const;
const STATUS_ERROR = 2;

/** The inference-span attributes of the GenAI conventions we follow, written out as the spec names them. */
const GENAI_INFERENCE_ATTRIBUTES = [
  'gen_ai.operation.name',
  'gen_ai.provider.name',
  'gen_ai.request.model',
  'gen_ai.response.model',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
];

async function historyRig(): Promise<{ command: string; summary: string; ingest: string }> {
  rig = makeRig({ modelRuntime: new MockModelRuntime({ name: 'demo' }) });
  fs.mkdirSync(path.join(rig.dataDir, 'documents'), { recursive: true });
  fs.writeFileSync(path.join(rig.dataDir, 'documents', 'notes.md'), '# Notes\nShip the export.\n');
  const command = rig.submit({
    job_kind: 'terminal_exec',
    protocol_id: 'hsk.terminal.exec.v0',
    access_mode: 'apply_scoped',
    job_inputs: { argv: ['echo', SECRET, path.join(os.homedir(), 'private.txt')] },
  });
  const summary = rig.submit({ job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', access_mode: 'analysis_only', job_inputs: { doc_id: '00000000-0000-4000-8000-0000000000d0', text: 'A short report.' } });
  const ingest = rig.submit({ job_kind: 'doc_ingest', protocol_id: 'hsk.docs.ingest.v0', access_mode: 'analysis_only', job_inputs: { path: 'notes.md' }, entity_refs: [{ entity_kind: 'file', entity_id: 'notes.md' }], trace_id: summary.trace_id });
  await drain(rig.engine);
  return { command: command.job_id, summary: summary.job_id, ingest: ingest.job_id };
}

function exportLines(scope: OtlpScope, name = 'out.jsonl'): { lines: string[]; file: string; text: string } {
  const file = path.join(rig.dataDir, 'exports', name);
  writeOtlpExport(rig.store, scope, file, 'test');
  const text = fs.readFileSync(file, 'utf8');
  return { lines: text.trimEnd().split('\n'), file, text };
}

/** Decodes every line with the official definitions and fails on anything a collector would reject. */
function decodedSpans(lines: readonly string[]): DecodedSpan[] {
  return lines.flatMap((line) => {
    const { message, problems } = decodeTracesDataJson(line);
    expect(problems).toEqual([]);
    const spans = spansOf(message);
    expect(traceProblems(spans)).toEqual([]);
    return spans;
  });
}

const hex = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('hex');
const byName = (spans: DecodedSpan[], prefix: string) => spans.filter((span) => span.name.startsWith(prefix));

describe('OTLP export (File Exporter JSON Lines)', () => {
  it('writes a job as one TracesData line: a job span, a run child, a node grandchild, events and process attributes, redacted', async () => {
    const ids = await historyRig();
    const { lines, text } = exportLines({ job_id: ids.command });
    expect(lines).toHaveLength(1);
    const spans = decodedSpans(lines);
    const job = rig.store.getJob(ids.command);

    const [jobSpan] = byName(spans, 'job terminal_exec');
    const [runSpan] = byName(spans, 'run terminal_exec');
    const [nodeSpan] = byName(spans, 'node ');
    expect(spans).toHaveLength(3);
    expect(hex(jobSpan!.traceId)).toBe(job.trace_id.replaceAll('-', ''));
    expect(jobSpan!.parentSpanId ?? new Uint8Array()).toHaveLength(0);
    expect(hex(runSpan!.parentSpanId)).toBe(hex(jobSpan!.spanId));
    expect(hex(nodeSpan!.parentSpanId)).toBe(hex(runSpan!.spanId));
    expect(attributeMap(jobSpan!.attributes)).toMatchObject({ 'handshake.job.id': job.job_id, 'handshake.job.state': 'completed' });

    const process = attributeMap(nodeSpan!.attributes);
    expect(process['process.command']).toBe('echo');
    expect(process['process.exit.code']).toBe('0');
    expect(process['process.command_args']).toEqual(['echo', '[REDACTED:secret_api_key:openai_style_key]', '[REDACTED:path_absolute:home_dir]/private.txt']);
    expect(nodeSpan!.events.map((event) => event.name)).toContain('terminal_command');
    expect(jobSpan!.events.map((event) => event.name)).toContain('job_created');
    expect(runSpan!.events.map((event) => event.name)).toEqual(expect.arrayContaining(['workflow_run_started', 'workflow_run_finished']));

    const start = BigInt(jobSpan!.startTimeUnixNano);
    expect(start).toBe(BigInt(Date.parse(job.created_at)) * 1_000_000n);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(os.homedir());
  });

  it('maps a model call to a GenAI inference client span under its node, named "{operation} {model}"', async () => {
    const ids = await historyRig();
    const spans = decodedSpans(exportLines({ job_id: ids.summary }).lines);
    const [model] = spans.filter((span) => span.kind === SPAN_KIND.client);
    const [node] = byName(spans, 'node ');
    expect(model!.name).toBe('text_completion demo');
    expect(hex(model!.parentSpanId)).toBe(hex(node!.spanId));
    const attributes = attributeMap(model!.attributes);
    const [inference] = rig.store.listEvents({ job_id: ids.summary, type: ['llm_inference'], limit: 1 }).items;
    const usage = inference!.payload.token_usage as { prompt_tokens: number; completion_tokens: number };
    expect(attributes).toMatchObject({
      'gen_ai.operation.name': 'text_completion',
      'gen_ai.provider.name': 'mock',
      'gen_ai.request.model': 'demo',
      'gen_ai.response.model': 'demo',
      'gen_ai.usage.input_tokens': String(usage.prompt_tokens),
      'gen_ai.usage.output_tokens': String(usage.completion_tokens),
    });
    // Only names the conventions define: a misspelt or deprecated gen_ai.* key fails here.
    const genAiKeys = Object.keys(attributes).filter((key) => key.startsWith('gen_ai.'));
    expect(genAiKeys.sort()).toEqual([...GENAI_INFERENCE_ATTRIBUTES].sort());
  });

  it('gives a document read its file attributes and a failed job an error status with error.type', async () => {
    const ids = await historyRig();
    const [ingestNode] = byName(decodedSpans(exportLines({ job_id: ids.ingest }).lines), 'node ');
    expect(attributeMap(ingestNode!.attributes)).toMatchObject({ 'file.path': 'notes.md', 'file.size': String('# Notes\nShip the export.\n'.length) });

    const failed = rig.submit({ job_kind: 'doc_ingest', protocol_id: 'hsk.docs.ingest.v0', access_mode: 'analysis_only', job_inputs: { path: 'missing.md' }, entity_refs: [{ entity_kind: 'file', entity_id: 'missing.md' }] });
    await drain(rig.engine);
    const spans = decodedSpans(exportLines({ job_id: failed.job_id }, 'failed.jsonl').lines);
    for (const span of spans) {
      expect(span.status?.code, span.name).toBe(STATUS_ERROR);
      expect(attributeMap(span.attributes)['error.type'], span.name).toBe('file_not_found');
    }
  });

  it('exports a trace with all its jobs, and a time range with the jobs active in it; re-exports are byte-identical', async () => {
    const ids = await historyRig();
    const summary = rig.store.getJob(ids.summary);
    const trace = decodedSpans(exportLines({ trace_id: summary.trace_id }).lines);
    expect(byName(trace, 'job ').map((span) => span.name).sort()).toEqual(['job doc_ingest', 'job doc_summarize']);

    const everything = exportLines({ from: 0, to: Date.now() + 1_000 }, 'range.jsonl');
    expect(everything.lines).toHaveLength(2);
    expect(byName(decodedSpans(everything.lines), 'job ')).toHaveLength(3);
    expect(exportLines({ from: 0, to: Date.now() + 1_000 }, 'again.jsonl').text).toBe(everything.text);
  });

  it('refuses a scope with nothing in it with HSK-404 and writes no file', async () => {
    await historyRig();
    const file = path.join(rig.dataDir, 'exports', 'empty.jsonl');
    expect(() => writeOtlpExport(rig.store, { from: 0, to: 1_000 }, file)).toThrow(expect.objectContaining({ code: 'HSK-404-NOT-FOUND' }));
    expect(() => writeOtlpExport(rig.store, { job_id: '00000000-0000-4000-8000-000000000000' }, file)).toThrow(expect.objectContaining({ code: 'HSK-404-NOT-FOUND' }));
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('the OTLP checks themselves', () => {
  async function oneLine(): Promise<Record<string, unknown>> {
    const ids = await historyRig();
    return JSON.parse(exportLines({ job_id: ids.summary }).lines[0]!) as Record<string, unknown>;
  }
  type JsonSpan = { spanId: string; parentSpanId?: string; name: string; attributes: Array<{ key: string }> };
  const jsonSpans = (line: Record<string, unknown>) =>
    (line as { resourceSpans: Array<{ scopeSpans: Array<{ spans: JsonSpan[] }> }> }).resourceSpans[0]!.scopeSpans[0]!.spans;
  const problemsOf = (line: unknown) => {
    const decoded = decodeTracesDataJson(JSON.stringify(line));
    return [...decoded.problems, ...traceProblems(spansOf(decoded.message))];
  };

  it('report a span id of the wrong length', async () => {
    const line = await oneLine();
    jsonSpans(line)[0]!.spanId = jsonSpans(line)[0]!.spanId.slice(0, 14);
    expect(problemsOf(line).join('\n')).toMatch(/span id is 7 bytes, not 8/);
  });

  it('report a span whose parent is missing', async () => {
    const line = await oneLine();
    const spans = jsonSpans(line);
    spans.splice(spans.findIndex((span) => span.name.startsWith('run ')), 1);
    expect(problemsOf(line).join('\n')).toMatch(/parent [0-9a-f]{16} is not in the trace/);
  });

  it('report a misspelt OTLP field, and the attribute check catches a misspelt attribute name', async () => {
    const line = await oneLine();
    const span = jsonSpans(line)[0] as unknown as Record<string, unknown>;
    span.startTimeUnixNanos = span.startTimeUnixNano;
    delete span.startTimeUnixNano;
    expect(problemsOf(line).join('\n')).toMatch(/spans\[0\]: no field "startTimeUnixNanos" in the OTLP message/);

    const model = jsonSpans(line).find((candidate) => candidate.name.startsWith('text_completion'))!;
    model.attributes.find((attribute) => attribute.key === 'gen_ai.request.model')!.key = 'gen_ai.request_model';
    const decoded = spansOf(decodeTracesDataJson(JSON.stringify(line)).message).find((candidate) => candidate.name === model.name)!;
    const keys = Object.keys(attributeMap(decoded.attributes)).filter((key) => key.startsWith('gen_ai.'));
    expect(keys.sort()).not.toEqual([...GENAI_INFERENCE_ATTRIBUTES].sort());
  });
});
