/**
 * The fuzz property against the real core on a temporary data dir, with the router wired as both
 * hosts wire it: invalid input on any channel writes no job, run or node row, and the only event
 * it may add is the `job_rejected` audit record of a refused jobs.create.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, CHANNEL_NAMES, type Channel } from '../../src-shared/ipc';
import { openCore } from '../core/open-core';
import type { HandshakeCore } from '../core/types';
import { createRouter, type Router } from './router';
import { SAMPLE_JOB_ID, VALID_INPUTS } from '../testing/valid-inputs';
import { DIAGNOSTIC_SEVERITIES, PROBLEM_STATUSES } from '../../src-shared/diagnostics';

const TABLES = ['ai_jobs', 'workflow_runs', 'workflow_node_executions', 'fr_events', 'diagnostics', 'problems'] as const;

let dataDir: string;
let core: HandshakeCore;
let router: Router;
let reader: Database.Database;

function rowCounts(): Record<string, number> {
  const counts = Object.fromEntries(TABLES.map((table) => [table, (reader.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n]));
  const audits = (reader.prepare("SELECT count(*) AS n FROM fr_events WHERE type = 'job_rejected'").get() as { n: number }).n;
  return { ...counts, fr_events: (counts.fr_events ?? 0) - audits, job_rejected: audits };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'hsk-router-core-fuzz-'));
  core = await openCore({ dataDir, host: 'browser', version: '0.0.0-test', modelRuntime: 'mock', startEngine: false });
  await core.recoveryDone;
  router = createRouter(core.handlers, { logError: () => {}, onInputRejected: core.onInputRejected });
  reader = new Database(join(dataDir, 'handshake.db'), { readonly: true, fileMustExist: true });
});

afterAll(async () => {
  reader?.close();
  await core?.close('test');
  rmSync(dataDir, { recursive: true, force: true });
});

const invalidInputFor = (channel: Channel) =>
  fc
    .oneof(
      fc.jsonValue(),
      fc.anything(),
      fc.record({ key: fc.string({ minLength: 1, maxLength: 20 }), value: fc.jsonValue() }).map(({ key, value }) => ({ ...VALID_INPUTS[channel], [key]: value })),
      fc.constantFrom<unknown>(null, 'x'.repeat(2_000_000), { job_kind: 'doc_delete', protocol_id: 'p' }, { job_kind: 'Term_Exec', protocol_id: 'p' }),
    )
    .filter((input) => !CHANNELS[channel].input.safeParse(input).success);

describe('router fuzzing against the real core', () => {
  it('writes nothing but job_rejected audit events for invalid input on any channel', async () => {
    const before = rowCounts();
    expect(before.fr_events).toBeGreaterThan(0);
    let refusedSubmissions = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...CHANNEL_NAMES).chain((channel) => fc.tuple(fc.constant(channel), invalidInputFor(channel))),
        async ([channel, input]) => {
          const envelope = await router.call(channel, input);
          expect(envelope.ok).toBe(false);
          if (channel === 'jobs.create') refusedSubmissions += 1;
        },
      ),
      { numRuns: 300 },
    );
    expect(rowCounts()).toEqual({ ...before, job_rejected: (before.job_rejected ?? 0) + refusedSubmissions });
  });

  it('answers any valid problems.list filter with a page that matches the contract', async () => {
    const iso = fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    const filter = fc.record(
      {
        severity: fc.subarray([...DIAGNOSTIC_SEVERITIES], { minLength: 1 }),
        source: fc.subarray(['engine', 'system', 'terminal', 'validator', 'plugin:x'], { minLength: 1 }),
        surface: fc.constantFrom('system', 'terminal'),
        status: fc.subarray([...PROBLEM_STATUSES], { minLength: 1 }),
        job_id: fc.uuid({ version: 4 }),
        from: iso,
        to: iso,
        limit: fc.integer({ min: 1, max: 500 }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(filter, async (input) => {
        const envelope = await router.call('problems.list', input);
        expect(envelope.ok).toBe(true);
        if (envelope.ok) expect(CHANNELS['problems.list'].output.safeParse(envelope.data).success).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a bundles.export that mixes scopes, names none, or turns a window around, writing nothing', async () => {
    const before = rowCounts();
    const fingerprint = 'a'.repeat(64);
    for (const input of [
      {},
      { scope: 'problem', job_id: SAMPLE_JOB_ID },
      { scope: 'problem', fingerprint, from: '2026-01-01T00:00:00Z' },
      { job_id: SAMPLE_JOB_ID, fingerprint },
      { scope: 'time_window', from: '2026-01-02T00:00:00Z' },
      { scope: 'time_window', from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' },
      { scope: 'workspace' },
    ]) {
      expect(await router.call('bundles.export', input)).toMatchObject({ ok: false, error: { code: 'HSK-400-INVALID-INPUT' } });
    }
    expect(rowCounts()).toEqual(before);
  });

  it('still accepts a valid job afterwards (the fuzzing did not wedge the core)', async () => {
    const envelope = await router.call('jobs.create', { job_kind: 'term_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['true'] } });
    expect(envelope).toMatchObject({ ok: true, data: { job_kind: 'terminal_exec', state: 'queued' } });
    expect(rowCounts().ai_jobs).toBe(1);
  });
});
