import { describe, expect, it, vi } from 'vitest';
import { HskError } from '../../src-shared/errors';
import { CHANNELS, CHANNEL_NAMES, PUSH_EVENTS, type Envelope } from '../../src-shared/ipc';
import { createRouter } from './router';
import { createStubCore } from '../testing/stub-core';
import { VALID_INPUTS } from '../testing/valid-inputs';

function quietRouter() {
  const core = createStubCore();
  const logError = vi.fn();
  return { core, logError, router: createRouter(core.handlers, { logError }) };
}

function errorOf(envelope: Envelope<unknown>) {
  if (envelope.ok) throw new Error(`expected an error envelope, got ${JSON.stringify(envelope)}`);
  return envelope.error;
}

describe('the contract', () => {
  // A new, renamed or removed channel or push event must show up as a change to this test.
  it('lists exactly these channels and push events', () => {
    expect({ channels: CHANNEL_NAMES, push_events: Object.keys(PUSH_EVENTS) }).toMatchInlineSnapshot(`
      {
        "channels": [
          "system.status",
          "jobs.create",
          "jobs.get",
          "jobs.list",
          "jobs.cancel",
          "jobs.resume",
          "jobs.fail",
          "runs.list",
          "events.list",
          "bundles.export",
          "traces.export_otlp",
          "jobs.lookup",
          "timeline.lanes",
          "traces.get",
          "bundles.status",
          "bundles.download",
          "bundles.open",
          "jobs.explain",
          "jobs.count",
          "jobs.cancel_many",
          "jobs.rerun",
          "jobs.reruns",
          "jobs.terminal_output",
          "problems.list",
          "problems.get",
          "problems.set_status",
          "policy.simulate",
          "policy.inspect",
          "nav.resolve",
          "jobs.accept",
          "jobs.reject",
        ],
        "push_events": [
          "job.changed",
          "event.appended",
          "recovery.progress",
        ],
      }
    `);
  });
});

describe('createRouter', () => {
  it('answers an unknown channel with HSK-404-NOT-FOUND and calls no handler', async () => {
    const { core, router } = quietRouter();
    const error = errorOf(await router.call('jobs.delete', {}));
    expect(error.code).toBe('HSK-404-NOT-FOUND');
    expect(core.calls).toEqual([]);
  });

  it('does not treat inherited object properties as channels', async () => {
    const { core, router } = quietRouter();
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(errorOf(await router.call(name, {})).code).toBe('HSK-404-NOT-FOUND');
    }
    expect(core.calls).toEqual([]);
  });

  it('refuses an input that fails its schema with HSK-400-INVALID-INPUT listing path and message', async () => {
    const { core, router } = quietRouter();
    const error = errorOf(await router.call('jobs.get', { job_id: 'not-a-uuid' }));
    expect(error.code).toBe('HSK-400-INVALID-INPUT');
    expect(error.details).toEqual({ issues: [{ path: 'job_id', code: 'invalid_format', message: 'expected a lowercase UUID' }] });
    expect(core.calls).toEqual([]);
  });

  it('refuses unknown fields because inputs are strict', async () => {
    const { core, router } = quietRouter();
    const error = errorOf(await router.call('system.status', { debug: true }));
    expect(error.code).toBe('HSK-400-INVALID-INPUT');
    expect(core.calls).toEqual([]);
  });

  it('names an unknown field and the accepted ones, at the top level and nested', async () => {
    const { core, router } = quietRouter();
    const list = errorOf(await router.call('jobs.list', { q: 'report' }));
    expect(list.message).toBe(
      'Invalid input for jobs.list: unknown field "q"; accepted: state, job_kind, created_from, created_to, text, trace_id, workflow_run_id, sort, cursor, limit',
    );
    expect(list.details).toEqual({
      issues: [expect.objectContaining({ path: '(root)', unknown_fields: ['q'], accepted_fields: expect.arrayContaining(['text', 'state']) })],
    });
    const events = errorOf(await router.call('events.list', { types: ['llm_inference'] }));
    expect(events.message).toMatch(/unknown field "types"; accepted: event_id, job_id, trace_id, workflow_run_id, type, /);
    const nested = errorOf(await router.call('jobs.create', { job_kind: 'doc_edit', protocol_id: 'p', entity_refs: [{ entity_kind: 'doc', entity_id: 'd', kind: 'x' }] }));
    expect(nested.message).toBe('Invalid input for jobs.create: unknown field "kind" in entity_refs[0]; accepted: entity_kind, entity_id, selector');
    expect(core.calls).toEqual([]);
  });

  it('formats array positions in issue paths', async () => {
    const { router } = quietRouter();
    const error = errorOf(
      await router.call('jobs.create', {
        job_kind: 'doc_edit',
        protocol_id: 'p',
        entity_refs: [{ entity_kind: 'doc', entity_id: 'a' }, { entity_kind: 'doc' }],
      }),
    );
    expect(error.details).toEqual({ issues: [expect.objectContaining({ path: 'entity_refs[1].entity_id' })] });
  });

  it('refuses an unknown job kind with HSK-400-INVALID-JOB-KIND and calls no handler', async () => {
    const { core, router } = quietRouter();
    const error = errorOf(await router.call('jobs.create', { job_kind: 'doc_delete', protocol_id: 'p' }));
    expect(error.code).toBe('HSK-400-INVALID-JOB-KIND');
    expect(core.calls).toEqual([]);
  });

  it('refuses an unknown job kind inside a jobs.list filter list with HSK-400-INVALID-JOB-KIND', async () => {
    const { core, router } = quietRouter();
    const error = errorOf(await router.call('jobs.list', { job_kind: ['doc_edit', 'Doc_Edit'] }));
    expect(error.code).toBe('HSK-400-INVALID-JOB-KIND');
    expect(core.calls).toEqual([]);
  });

  it('tells the rejection hook about each refused input, with the raw input and the error', async () => {
    const core = createStubCore();
    const rejected: unknown[] = [];
    const router = createRouter(core.handlers, {
      onInputRejected: (channel, raw, error) => {
        rejected.push({ channel, raw, code: error.code });
        return null;
      },
    });
    await router.call('jobs.create', { job_kind: 'doc_delete', protocol_id: 'p' });
    await router.call('system.status', {});
    expect(rejected).toEqual([{ channel: 'jobs.create', raw: { job_kind: 'doc_delete', protocol_id: 'p' }, code: 'HSK-400-INVALID-JOB-KIND' }]);
  });

  it('names the event the rejection hook recorded in the refusal, beside the issues', async () => {
    const rejection = { event_id: '01a23400-0000-7000-8000-000000000001', trace_id: '01a23400-0000-7000-8000-000000000002' };
    const router = createRouter(createStubCore().handlers, { onInputRejected: () => rejection });
    const refusal = await router.call('jobs.create', { job_kind: 'doc_delete', protocol_id: 'p' });
    expect(refusal).toMatchObject({ ok: false, error: { code: 'HSK-400-INVALID-JOB-KIND', details: { rejection, issues: [expect.anything()] } } });
  });

  it('keeps the refusal envelope when the rejection hook throws', async () => {
    const core = createStubCore();
    const logError = vi.fn();
    const router = createRouter(core.handlers, {
      logError,
      onInputRejected: () => {
        throw new Error('audit store unavailable');
      },
    });
    const error = errorOf(await router.call('jobs.create', { job_kind: 'doc_delete', protocol_id: 'p' }));
    expect(error.code).toBe('HSK-400-INVALID-JOB-KIND');
    expect(logError).toHaveBeenCalledOnce();
  });

  it('hands the handler the parsed input, with term_exec rewritten to terminal_exec', async () => {
    const { core, router } = quietRouter();
    const envelope = await router.call('jobs.create', {
      job_kind: 'term_exec',
      protocol_id: 'hsk.terminal.exec.v0',
      job_inputs: { argv: ['echo', 'hi'] },
    });
    expect(envelope).toMatchObject({ ok: true, data: { job_kind: 'terminal_exec', state: 'queued' } });
    expect(core.calls).toEqual([
      { channel: 'jobs.create', input: { job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', job_inputs: { argv: ['echo', 'hi'] } } },
    ]);
  });

  it('returns every handler output in the shape of its output schema', async () => {
    const { router } = quietRouter();
    for (const channel of CHANNEL_NAMES) {
      const envelope = await router.call(channel, VALID_INPUTS[channel]);
      if (envelope.ok) expect(CHANNELS[channel].output.safeParse(envelope.data).success).toBe(true);
      else expect(envelope.error.code).toMatch(/^HSK-/);
    }
  });

  it('turns an HskError from a handler into its error body', async () => {
    const { router } = quietRouter();
    const error = errorOf(await router.call('jobs.get', VALID_INPUTS['jobs.get']));
    expect(error).toEqual({ code: 'HSK-404-NOT-FOUND', message: expect.stringContaining('No job') });
  });

  it('keeps HskError details in the envelope', async () => {
    const core = createStubCore();
    core.handlers['jobs.cancel'] = async () => {
      throw new HskError('HSK-409-ILLEGAL-TRANSITION', 'completed -> cancelled is not allowed', { from: 'completed' });
    };
    const error = errorOf(await createRouter(core.handlers).call('jobs.cancel', VALID_INPUTS['jobs.cancel']));
    expect(error).toEqual({
      code: 'HSK-409-ILLEGAL-TRANSITION',
      message: 'completed -> cancelled is not allowed',
      details: { from: 'completed' },
    });
  });

  it('answers an unexpected throw with a generic HSK-500-INTERNAL and logs the stack instead', async () => {
    const core = createStubCore();
    core.handlers['system.status'] = async () => {
      throw new Error('disk on fire at /secret/path');
    };
    const logError = vi.fn();
    const envelope = await createRouter(core.handlers, { logError }).call('system.status', {});
    const error = errorOf(envelope);
    expect(error.code).toBe('HSK-500-INTERNAL');
    expect(JSON.stringify(error)).not.toContain('/secret/path');
    expect(logError).toHaveBeenCalledOnce();
    expect(String(logError.mock.calls[0]?.[1])).toContain('disk on fire');
  });

  it('never rejects, even when a handler throws a non-Error value', async () => {
    const core = createStubCore();
    core.handlers['jobs.list'] = () => Promise.reject('a bare string');
    const envelope = await createRouter(core.handlers, { logError: () => {} }).call('jobs.list', {});
    expect(errorOf(envelope).code).toBe('HSK-500-INTERNAL');
  });
});
