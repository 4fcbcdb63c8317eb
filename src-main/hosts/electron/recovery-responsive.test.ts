/**
 * A large startup recovery (20,000 stale runs) must not block either host: the browser host (HTTP)
 * and the Electron host (its ipcMain handlers, driven here without Electron) both answer
 * system.status throughout, within 100 ms, with the recovery state and counts.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelOutput, Envelope } from '../../../src-shared/ipc';
import { startHttpHost, type HttpHost } from '../browser/http-host';
import { registerIpcHandlers } from './ipc';
import { createRouter } from '../../ipc/router';
import { Store } from '../../store/store';
import { rawRequest } from '../../testing/http-client';
import { dbOf } from '../../testing/store';
import { makeTempDir } from '../../testing/temp-dir';
import { openCore } from '../../core/open-core';
import type { HandshakeCore } from '../../core/types';

const STALE_RUNS = 20_000;
type Status = ChannelOutput<'system.status'>;

let core: HandshakeCore | null = null;
let host: HttpHost | null = null;
afterEach(async () => {
  await host?.close();
  await core?.close('test over');
  host = null;
  core = null;
});

/**
 * A data dir whose previous process crashed with `count` runs running, heartbeats a minute old:
 * written with plain SQL in one transaction (the store's one-by-one path would take minutes).
 */
function staleHistory(dataDir: string, count: number): void {
  const store = Store.open(dataDir, { synchronous: 'OFF' as never });
  const db = dbOf(store);
  const then = Date.now() - 60_000;
  const insertJob = db.prepare(`INSERT INTO ai_jobs (job_id, trace_id, workflow_run_id, job_kind, status, status_reason,
    protocol_id, profile_id, capability_profile_id, access_mode, safety_mode, created_at, updated_at, flight_recorder_span_id)
    VALUES (?, ?, ?, 'doc_edit', 'running', 'running', 'hsk.docs.edit.v0', 'default', 'Analyst', 'analysis_only', 'normal', ?, ?, ?)`);
  const insertRun = db.prepare(`INSERT INTO workflow_runs (workflow_run_id, job_id, attempt, status, status_reason,
    last_heartbeat, created_at, updated_at) VALUES (?, ?, 1, 'running', 'running', ?, ?, ?)`);
  db.transaction(() => {
    for (let i = 0; i < count; i += 1) {
      const jobId = randomUUID();
      const runId = randomUUID();
      insertJob.run(jobId, randomUUID(), runId, then, then, randomUUID());
      insertRun.run(runId, jobId, then, then, then);
    }
  })();
  store.close();
}

/** The Electron host's system.status handler, as ipcMain would call it for the app window. */
function electronStatus(target: HandshakeCore): () => Promise<Status> {
  const handlers = new Map<string, (event: IpcMainInvokeEvent, input: unknown) => Promise<Envelope<unknown>>>();
  const ipcMain = { handle: (channel: string, handler: never) => handlers.set(channel, handler), removeHandler: () => undefined };
  registerIpcHandlers(ipcMain as unknown as IpcMain, createRouter(target.handlers));
  const frame = { url: 'app://handshake/index.html' };
  const event = { senderFrame: frame, sender: { mainFrame: frame } } as unknown as IpcMainInvokeEvent;
  return async () => {
    const envelope = await handlers.get('system.status')!(event, {});
    if (!envelope.ok) throw new Error(envelope.error.message);
    return envelope.data as Status;
  };
}

function browserStatus(target: HttpHost): () => Promise<Status> {
  return async () => {
    const response = await rawRequest({
      port: target.port,
      path: '/api/rpc/system.status',
      method: 'POST',
      headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    return (JSON.parse(response.body) as { data: Status }).data;
  };
}

describe('recovery never blocks the hosts', () => {
  it(`answers system.status on both hosts within 100 ms throughout a ${STALE_RUNS.toLocaleString('en-US')}-run recovery`, async () => {
    const dataDir = makeTempDir();
    staleHistory(dataDir, STALE_RUNS);
    const rendererDir = path.join(makeTempDir(), 'renderer');
    fs.mkdirSync(rendererDir);
    core = await openCore({ dataDir, host: 'browser', version: 'test', startEngine: false });
    host = await startHttpHost({ core, rendererDir });
    const hosts = { browser: browserStatus(host), electron: electronStatus(core) };

    const whileRunning: Array<{ host: string; ms: number; stalled: number }> = [];
    let last: Status | null = null;
    for (;;) {
      for (const [name, ask] of Object.entries(hosts)) {
        const began = performance.now();
        last = await ask();
        if (last.recovery.state === 'running') whileRunning.push({ host: name, ms: performance.now() - began, stalled: last.recovery.stalled_count });
      }
      if (last?.recovery.state !== 'running') break;
    }
    expect(last?.recovery).toMatchObject({ state: 'complete', stalled_count: STALE_RUNS, ready_in_ms: 0 });
    expect(last?.accepting_jobs).toBe(true);
    // Both hosts answered many times while recovery ran, and saw its progress.
    for (const name of Object.keys(hosts)) expect(whileRunning.filter((answer) => answer.host === name).length).toBeGreaterThan(10);
    expect(new Set(whileRunning.map((answer) => answer.stalled)).size).toBeGreaterThan(10);
    // Within 100 ms: every answer on a quiet machine. On a loaded one (other suites in parallel) the
    // scheduler alone can delay an answer, so the rule is held at the 95th percentile, and no answer
    // may wait a second (the old synchronous pass blocked both hosts for seconds). `npm run bench`
    // reports the longest event-loop delay itself.
    const latencies = whileRunning.map((answer) => answer.ms).sort((a, b) => a - b);
    expect(latencies[Math.floor(latencies.length * 0.95)]).toBeLessThan(100);
    expect(latencies.at(-1)).toBeLessThan(1_000);
  }, 300_000);
});
