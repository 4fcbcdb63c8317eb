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
import { VALID_INPUTS } from '../testing/valid-inputs';

const TABLES = ['ai_jobs', 'workflow_runs', 'workflow_node_executions', 'fr_events'] as const;

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

  it('still accepts a valid job afterwards (the fuzzing did not wedge the core)', async () => {
    const envelope = await router.call('jobs.create', { job_kind: 'term_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['true'] } });
    expect(envelope).toMatchObject({ ok: true, data: { job_kind: 'terminal_exec', state: 'queued' } });
    expect(rowCounts().ai_jobs).toBe(1);
  });
});
