/**
 * Property tests: whatever arrives on any channel, the router answers with an envelope, never
 * throws, and only input that passes the channel's schema reaches a handler (so nothing is written).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACCESS_MODES, JOB_KINDS } from '../../src-shared/enums';
import { issuesOfDetails } from '../../src-shared/errors';
import { CHANNELS, CHANNEL_NAMES, type Channel, type Envelope } from '../../src-shared/ipc';
import { defaultProtocol } from '../../src-shared/protocols';
import { createRouter } from './router';
import { createStubCore } from '../testing/stub-core';
import { VALID_INPUTS } from '../testing/valid-inputs';

const HUGE = 'x'.repeat(2 * 1024 * 1024);

function nested(depth: number, leaf: unknown, asArray: boolean): unknown {
  let value = leaf;
  for (let level = 0; level < depth; level += 1) value = asArray ? [value] : { a: value };
  return value;
}

const channelArb = fc.constantFrom(...CHANNEL_NAMES);

/** Values that look like a channel's input but are not: wrong types in its own fields. */
function wrongFieldTypes(channel: Channel) {
  const fieldNames = Object.keys(VALID_INPUTS[channel]);
  const keys = fieldNames.length > 0 ? fieldNames : ['job_id'];
  return fc.record({
    key: fc.constantFrom(...keys),
    value: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.anything(), { maxLength: 3 }), fc.object()),
  }).map(({ key, value }) => ({ ...VALID_INPUTS[channel], [key]: value }));
}

const anyInput = fc.oneof(
  fc.jsonValue(),
  fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 8 }),
  fc.constantFrom<unknown>(undefined, null, '', HUGE, [], {}, { job_kind: HUGE, protocol_id: HUGE }),
  fc.nat({ max: 5000 }).chain((depth) => fc.boolean().map((asArray) => nested(depth, HUGE.slice(0, 64), asArray))),
);

function recordingRouter() {
  const core = createStubCore();
  return { core, router: createRouter(core.handlers, { logError: () => {} }) };
}

function checkEnvelope(channel: Channel, input: unknown, envelope: Envelope<unknown>, handlerCalls: number): void {
  const valid = CHANNELS[channel].input.safeParse(input).success;
  if (!valid) {
    expect(envelope.ok).toBe(false);
    expect(handlerCalls).toBe(0);
    return;
  }
  expect(handlerCalls).toBe(1);
  if (envelope.ok) expect(CHANNELS[channel].output.safeParse(envelope.data).success).toBe(true);
  else expect(envelope.error.code).toMatch(/^HSK-\d{3}-/);
}

describe('router fuzzing', () => {
  it('answers random input on every channel with an envelope and lets only valid input through', async () => {
    await fc.assert(
      fc.asyncProperty(channelArb, anyInput, async (channel, input) => {
        const { core, router } = recordingRouter();
        const envelope = await router.call(channel, input);
        checkEnvelope(channel, input, envelope, core.calls.length);
      }),
      { numRuns: 400 },
    );
  });

  it('refuses wrong field types without calling a handler', async () => {
    await fc.assert(
      fc.asyncProperty(channelArb.chain((channel) => fc.tuple(fc.constant(channel), wrongFieldTypes(channel))), async ([channel, input]) => {
        const { core, router } = recordingRouter();
        const envelope = await router.call(channel, input);
        checkEnvelope(channel, input, envelope, core.calls.length);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses an otherwise valid input with any unknown field, on every channel', async () => {
    const knownFields = new Set(CHANNEL_NAMES.flatMap((channel) => Object.keys(CHANNELS[channel].input.shape)));
    const unknownKey = fc.string({ minLength: 1, maxLength: 40 }).filter((key) => !knownFields.has(key) && key !== '__proto__');
    await fc.assert(
      fc.asyncProperty(channelArb, unknownKey, fc.jsonValue(), async (channel, key, value) => {
        const { core, router } = recordingRouter();
        const envelope = await router.call(channel, { ...VALID_INPUTS[channel], [key]: value });
        expect(envelope).toMatchObject({ ok: false, error: { code: 'HSK-400-INVALID-INPUT' } });
        expect(core.calls).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('answers random channel names with HSK-404-NOT-FOUND', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), fc.jsonValue(), async (name, input) => {
        fc.pre(!CHANNEL_NAMES.includes(name as Channel));
        const { core, router } = recordingRouter();
        expect(await router.call(name, input)).toMatchObject({ ok: false, error: { code: 'HSK-404-NOT-FOUND' } });
        expect(core.calls).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('lets jobs.create through only with inputs that fit the kind\'s schema, refusing the rest under job_inputs', async () => {
    const kindArb = fc.constantFrom(...JOB_KINDS);
    // Near misses of real inputs: the fields the schemas know, with values of any type.
    const fields = fc.dictionary(fc.constantFrom('argv', 'cwd', 'timeout_ms', 'env', 'path', 'text', 'instruction', 'doc_id', 'selection', 'layer_scope', 'steps', 'target_job_id', 'scope', 'trace_id', 'cmd'), fc.jsonValue(), { maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(kindArb, fc.oneof(fields, fc.jsonValue()), fc.constantFrom(...ACCESS_MODES), async (kind, jobInputs, accessMode) => {
        const { core, router } = recordingRouter();
        const input = { job_kind: kind, protocol_id: defaultProtocol(kind), access_mode: accessMode, job_inputs: jobInputs };
        const envelope = await router.call('jobs.create', input);
        checkEnvelope('jobs.create', input, envelope, core.calls.length);
        if (!envelope.ok && envelope.error.code === 'HSK-400-INVALID-INPUT') {
          const paths = issuesOfDetails(envelope.error.details).map((issue) => issue.path);
          expect(paths.every((path) => path.startsWith('job_inputs'))).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('refuses malformed accept / reject decisions without calling a handler', async () => {
    const decisionInput = fc.oneof(
      fc.record({ job_id: fc.string(), reason: fc.option(fc.string({ maxLength: 600 }), { nil: undefined }) }),
      fc.record({ job_id: fc.uuid(), reason: fc.constantFrom('', 'x'.repeat(513)) }),
      fc.record({ job_id: fc.uuid(), decision: fc.constantFrom('accept', 'reject') }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('jobs.accept' as const, 'jobs.reject' as const), decisionInput, async (channel, input) => {
        const { core, router } = recordingRouter();
        checkEnvelope(channel, input, await router.call(channel, input), core.calls.length);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses job_inputs nested deeper than the limit, and huge strings, without calling a handler', async () => {
    const { core, router } = recordingRouter();
    const deep = await router.call('jobs.create', { job_kind: 'doc_edit', protocol_id: 'p', job_inputs: nested(10_000, 1, false) });
    const huge = await router.call('jobs.create', { job_kind: 'doc_edit', protocol_id: HUGE });
    const hugeInputs = await router.call('jobs.create', { job_kind: 'doc_edit', protocol_id: 'p', job_inputs: { text: HUGE } });
    for (const envelope of [deep, huge, hugeInputs]) expect(envelope).toMatchObject({ ok: false, error: { code: 'HSK-400-INVALID-INPUT' } });
    expect(core.calls).toEqual([]);
  });
});
