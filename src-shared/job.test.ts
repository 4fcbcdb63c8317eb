import { describe, expect, it } from 'vitest';
import { JobMetricsSchema, JsonPayloadSchema, LIMITS, METRIC_KEYS, NewJobSchema, zeroMetrics } from './job';

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

describe('NewJobSchema', () => {
  it('normalises the alias and refuses a state or any unknown field', () => {
    expect(NewJobSchema.parse({ job_kind: 'term_exec', protocol_id: 'p' }).job_kind).toBe('terminal_exec');
    expect(NewJobSchema.safeParse({ job_kind: 'doc_edit', protocol_id: 'p', state: 'running' }).success).toBe(false);
  });
});
