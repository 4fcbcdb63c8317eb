/**
 * Reads OTLP the way a collector does, from the official opentelemetry-proto definitions (see
 * opentelemetry-proto/README.md) with protobufjs, not from our own types:
 * - an OTLP/JSON document is checked key by key against the proto messages (an unknown or
 *   misspelt field is a problem), its hex ids become bytes as the OTLP/JSON mapping says, and it
 *   is encoded to and decoded from protobuf wire format;
 * - `traceProblems` then lists what a backend would reject or misdraw: ids of the wrong length or
 *   all zero, a parent span that is not in the trace, an end before the start.
 */
import path from 'node:path';
import Long from 'long';
import protobuf from 'protobufjs';

const PROTO_ROOT = path.join(import.meta.dirname, 'opentelemetry-proto');

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => path.join(PROTO_ROOT, target);
  root.loadSync(['opentelemetry/proto/trace/v1/trace.proto', 'opentelemetry/proto/collector/trace/v1/trace_service.proto']);
  return root;
}

const root = loadRoot();
export const TracesData = root.lookupType('opentelemetry.proto.trace.v1.TracesData');
export const ExportTraceServiceRequest = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');

/** OTLP/JSON writes these bytes fields as hex, not base64. */
const HEX_ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

export interface DecodedKeyValue {
  key: string;
  value: { stringValue?: string; intValue?: string; boolValue?: boolean; doubleValue?: number; arrayValue?: { values: Array<{ stringValue?: string }> } };
}
export interface DecodedSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId?: Uint8Array;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: DecodedKeyValue[];
  events: Array<{ name: string; timeUnixNano: string; attributes: DecodedKeyValue[] }>;
  status?: { code?: number; message?: string };
}
export interface DecodedTraces {
  resourceSpans: Array<{
    resource?: { attributes: DecodedKeyValue[] };
    scopeSpans: Array<{ scope?: { name: string; version?: string }; schemaUrl?: string; spans: DecodedSpan[] }>;
  }>;
}

/** 64-bit integers may be JSON strings in OTLP/JSON (decimal). */
const LONG_TYPES = new Set(['int64', 'uint64', 'fixed64', 'sint64', 'sfixed64']);

function decimalLong(field: string, value: string, unsigned: boolean, problems: string[]): Long {
  if (!/^-?\d+$/.test(value)) problems.push(`${field} is not a decimal integer: ${JSON.stringify(value)}`);
  return Long.fromString(/^-?\d+$/.test(value) ? value : '0', unsigned);
}

function hexToBytes(field: string, value: unknown, problems: string[]): Uint8Array {
  if (typeof value !== 'string' || !/^(?:[0-9a-fA-F]{2})*$/.test(value)) {
    problems.push(`${field} is not a hex string: ${JSON.stringify(value)}`);
    return new Uint8Array();
  }
  return Uint8Array.from(Buffer.from(value, 'hex'));
}

/** Checks every key against the message type and converts hex ids; collects problems. */
function toProtoObject(type: protobuf.Type, json: unknown, where: string, problems: string[]): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    problems.push(`${where} is not an object`);
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    const field = type.fields[key];
    if (!field) {
      problems.push(`${where}: ${type.name} has no field "${key}"`);
      continue;
    }
    const convert = (item: unknown, index: number | null) => {
      const at = index === null ? `${where}.${key}` : `${where}.${key}[${index}]`;
      if (HEX_ID_FIELDS.has(key) && field.type === 'bytes') return hexToBytes(at, item, problems);
      if (field.resolvedType instanceof protobuf.Type) return toProtoObject(field.resolvedType, item, at, problems);
      if (field.resolvedType instanceof protobuf.Enum && typeof item !== 'number') problems.push(`${at}: enums are integers in OTLP/JSON`);
      if (LONG_TYPES.has(field.type) && typeof item === 'string') return decimalLong(at, item, field.type.startsWith('u') || field.type === 'fixed64', problems);
      return item;
    };
    out[key] = field.repeated && Array.isArray(value) ? value.map((item, index) => convert(item, index)) : convert(value, null);
  }
  return out;
}

function decodeMessage(type: protobuf.Type, json: unknown): { message: DecodedTraces; problems: string[] } {
  const problems: string[] = [];
  const object = toProtoObject(type, json, type.name, problems);
  const invalid = type.verify(object);
  if (invalid) problems.push(invalid);
  const wire = type.encode(type.fromObject(object)).finish();
  const message = type.toObject(type.decode(wire), { longs: String, enums: Number, defaults: false, arrays: true }) as DecodedTraces;
  return { message, problems };
}

/** One line of the File Exporter form: a TracesData. */
export function decodeTracesDataJson(line: string): { message: DecodedTraces; problems: string[] } {
  return decodeMessage(TracesData, JSON.parse(line));
}

/** The body an OTLP/HTTP JSON exporter posts: an ExportTraceServiceRequest. */
export function decodeExportRequestJson(body: string): { message: DecodedTraces; problems: string[] } {
  return decodeMessage(ExportTraceServiceRequest, JSON.parse(body));
}

export function spansOf(traces: DecodedTraces): DecodedSpan[] {
  return traces.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans));
}

function hex(bytes: Uint8Array | undefined): string {
  return bytes ? Buffer.from(bytes).toString('hex') : '';
}

/** What a backend would reject or draw wrongly in these spans (empty when all is well). */
export function traceProblems(spans: readonly DecodedSpan[]): string[] {
  const problems: string[] = [];
  const known = new Set(spans.map((span) => `${hex(span.traceId)}/${hex(span.spanId)}`));
  for (const span of spans) {
    const name = `span "${span.name}"`;
    if (span.traceId.length !== 16) problems.push(`${name}: trace id is ${span.traceId.length} bytes, not 16`);
    if (span.spanId.length !== 8) problems.push(`${name}: span id is ${span.spanId.length} bytes, not 8`);
    if (/^0*$/.test(hex(span.traceId)) || /^0*$/.test(hex(span.spanId))) problems.push(`${name}: an id is all zero`);
    const parent = span.parentSpanId && span.parentSpanId.length > 0 ? hex(span.parentSpanId) : null;
    if (parent !== null && !known.has(`${hex(span.traceId)}/${parent}`)) problems.push(`${name}: parent ${parent} is not in the trace`);
    if (!span.startTimeUnixNano || !span.endTimeUnixNano) problems.push(`${name}: has no start or end time`);
    else if (Long.fromString(span.endTimeUnixNano, true).lessThan(Long.fromString(span.startTimeUnixNano, true))) {
      problems.push(`${name}: ends before it starts`);
    }
  }
  return problems;
}

export function attributeMap(attributes: readonly DecodedKeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries(
    (attributes ?? []).map(({ key, value }) => [
      key,
      value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue ?? value.arrayValue?.values.map((item) => item.stringValue),
    ]),
  );
}
