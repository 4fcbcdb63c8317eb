/**
 * The browser host in front of the real core on a temporary data dir: what a refused request
 * leaves behind is checked through the contract itself (jobs.list) and through the database.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore } from '../../core/open-core';
import type { HandshakeCore } from '../../core/types';
import { startHttpHost, type HttpHost } from './http-host';
import { openEventStream, rawRequest } from '../../testing/http-client';

let workDir: string;
let core: HandshakeCore;
let host: HttpHost;

beforeEach(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'hsk-http-core-'));
  const rendererDir = join(workDir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><div id="root"></div>');
  core = await openCore({ dataDir: join(workDir, 'data'), host: 'browser', version: '0.0.0-test', modelRuntime: 'mock', startEngine: false });
  await core.recoveryDone;
  host = await startHttpHost({ core, rendererDir, port: 0 });
});

afterEach(async () => {
  await host.close();
  await core.close('test');
  rmSync(workDir, { recursive: true, force: true });
});

async function rpc(channel: string, input: unknown, token = host.token) {
  const response = await rawRequest({
    port: host.port,
    path: `/api/rpc/${channel}`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(input),
  });
  return { status: response.status, body: JSON.parse(response.body) as { ok: boolean; data?: unknown; error?: { code: string } } };
}

function storedJobCount(): number {
  const db = new Database(join(workDir, 'data', 'handshake.db'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM ai_jobs').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('browser host with the real core', () => {
  it('rejects a wrong token with 401 and stores nothing', async () => {
    const refused = await rpc('jobs.create', { job_kind: 'doc_edit', protocol_id: 'hsk.docs.edit.v0', job_inputs: { text: 'Fix the typos.' } }, 'f'.repeat(64));
    expect(refused.status).toBe(401);
    expect((await rpc('jobs.list', {})).body).toEqual({ ok: true, data: { items: [], next_cursor: null } });
    expect(storedJobCount()).toBe(0);
  });

  it('refuses an unknown kind with HSK-400-INVALID-JOB-KIND and stores nothing', async () => {
    const refused = await rpc('jobs.create', { job_kind: 'doc_delete', protocol_id: 'p' });
    expect(refused.body).toMatchObject({ ok: false, error: { code: 'HSK-400-INVALID-JOB-KIND' } });
    expect(storedJobCount()).toBe(0);
  });

  it('stores term_exec as terminal_exec and serves it back that way', async () => {
    const created = await rpc('jobs.create', { job_kind: 'term_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['true'] } });
    expect(created.body).toMatchObject({ ok: true, data: { job_kind: 'terminal_exec' } });
    const jobId = (created.body.data as { job_id: string }).job_id;
    expect((await rpc('jobs.get', { job_id: jobId })).body).toMatchObject({ ok: true, data: { job_kind: 'terminal_exec' } });
    expect(storedJobCount()).toBe(1);
  });

  it('pushes the created job over Server-Sent Events', async () => {
    const stream = await openEventStream(host.port, `/api/events?token=${host.token}`);
    const created = await rpc('jobs.create', { job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', job_inputs: { text: 'Summarise this.', doc_id: '00000000-0000-4000-8000-0000000000d0' } });
    const jobId = (created.body.data as { job_id: string }).job_id;
    const seen: unknown[] = [];
    for (;;) {
      const { data } = await stream.nextMessage();
      seen.push(data);
      if ((data as { name: string }).name === 'job.changed') break;
    }
    expect(seen.at(-1)).toMatchObject({ name: 'job.changed', payload: { job: { job_id: jobId, job_kind: 'doc_summarize' } } });
    const seqs = seen.map((message) => (message as { seq: number }).seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    stream.close();
  });

  it('refuses a second core on the same data dir with HSK-409-DATA-DIR-LOCKED', async () => {
    await expect(openCore({ dataDir: join(workDir, 'data'), host: 'browser', version: 'x' })).rejects.toMatchObject({ code: 'HSK-409-DATA-DIR-LOCKED' });
  });
});
