/**
 * Reads OTLP the way a collector does, with the OpenTelemetry project's own protobuf code for the
 * official opentelemetry-proto messages (the static protobufjs root that
 * @opentelemetry/otlp-transformer 0.210 generated from them, installed under the alias
 * otlp-proto-root because later versions no longer ship it), not with our own types:
 * - an OTLP/JSON document has its hex ids turned into bytes as the OTLP/JSON mapping says, is
 *   verified and encoded to and decoded from protobuf wire format, and every key it holds must
 *   survive that round trip (an unknown or misspelt field does not: it is a problem);
 * - `traceProblems` then lists what a backend would reject or misdraw: ids of the wrong length or
 *   all zero, a parent span that is not in the trace, an end before the start.
 */
import { createRequire } from 'node:module';
import Long from 'long';

interface GeneratedMessage {
  verify(object: Record<string, unknown>): string | null;
  fromObject(object: Record<string, unknown>): unknown;
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options: Record<string, unknown>): Record<string, unknown>;
}

interface GeneratedRoot {
  opentelemetry: {
    proto: {
      trace: { v1: { TracesData: GeneratedMessage } };
      collector: { trace: { v1: { ExportTraceServiceRequest: GeneratedMessage } } };
    };
  };
}

const require = createRequire(import.meta.url);
const { opentelemetry } = require('otlp-proto-root/build/src/generated/root') as GeneratedRoot;
export const TracesData = opentelemetry.proto.trace.v1.TracesData;
export const ExportTraceServiceRequest = opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/** OTLP/JSON writes these bytes fields as hex, not base64. */
const HEX_ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);
/** The 64-bit integer fields of the trace messages, which OTLP/JSON may write as decimal strings. */
const LONG_FIELDS = new Set(['startTimeUnixNano', 'endTimeUnixNano', 'timeUnixNano', 'intValue']);

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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** OTLP/JSON to the plain object protobufjs takes: hex ids to bytes, decimal strings to longs. */
function toProtoObject(json: unknown, where: string, problems: string[]): unknown {
  if (Array.isArray(json)) return json.map((item, index) => toProtoObject(item, `${where}[${index}]`, problems));
  if (!isObject(json)) return json;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    const at = `${where}.${key}`;
    if (HEX_ID_FIELDS.has(key)) out[key] = hexToBytes(at, value, problems);
    else if (LONG_FIELDS.has(key) && typeof value === 'string') out[key] = decimalLong(at, value, key !== 'intValue', problems);
    else out[key] = toProtoObject(value, at, problems);
  }
  return out;
}

/** Keys of the input that the message types do not know: protobufjs drops them on the round trip. */
function unknownKeys(input: unknown, known: unknown, where: string, problems: string[]): void {
  if (Array.isArray(input) && Array.isArray(known)) {
    input.forEach((item, index) => unknownKeys(item, known[index], `${where}[${index}]`, problems));
    return;
  }
  if (!isObject(input) || !isObject(known)) return;
  for (const [key, value] of Object.entries(input)) {
    if (!(key in known)) problems.push(`${where}: no field "${key}" in the OTLP message`);
    else unknownKeys(value, known[key], `${where}.${key}`, problems);
  }
}

function decodeMessage(type: GeneratedMessage, name: string, json: unknown): { message: DecodedTraces; problems: string[] } {
  const problems: string[] = [];
  if (!isObject(json)) return { message: { resourceSpans: [] }, problems: [`${name} is not an object`] };
  const object = toProtoObject(json, name, problems) as Record<string, unknown>;
  const invalid = type.verify(object);
  if (invalid) problems.push(invalid);
  const decoded = type.decode(type.encode(type.fromObject(object)).finish());
  // With defaults, every field a message type knows is present; a key of the input that is not was never a field.
  unknownKeys(object, type.toObject(decoded, { longs: String, enums: Number, defaults: true, arrays: true }), name, problems);
  const message = type.toObject(decoded, { longs: String, enums: Number, defaults: false, arrays: true }) as unknown as DecodedTraces;
  return { message, problems };
}

/** One line of the File Exporter form: a TracesData. */
export function decodeTracesDataJson(line: string): { message: DecodedTraces; problems: string[] } {
  return decodeMessage(TracesData, 'TracesData', JSON.parse(line));
}

/** The body an OTLP/HTTP JSON exporter posts: an ExportTraceServiceRequest. */
export function decodeExportRequestJson(body: string): { message: DecodedTraces; problems: string[] } {
  return decodeMessage(ExportTraceServiceRequest, 'ExportTraceServiceRequest', JSON.parse(body));
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
