/**
 * The browser host's contract over real HTTP, against the real core on a fresh data dir.
 */
import { expect, test } from './fixtures/app';

const NEW_JOB = { job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', job_inputs: { text: 'Summarise this.', doc_id: '00000000-0000-4000-8000-0000000000d0' } };

test('rejects a wrong token with 401 and stores nothing', async ({ app, request }) => {
  const refused = await request.post(`${app.baseUrl}api/rpc/jobs.create`, {
    headers: { authorization: `Bearer ${'0'.repeat(64)}` },
    data: NEW_JOB,
  });
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toMatchObject({ ok: false, error: { code: 'HSK-401-UNAUTHORIZED' } });
  const missing = await request.post(`${app.baseUrl}api/rpc/jobs.create`, { data: NEW_JOB });
  expect(missing.status()).toBe(401);
  expect(await app.rpc('jobs.list', {})).toEqual({ ok: true, data: { items: [], next_cursor: null } });
});

test('rejects a foreign Origin with 403 and stores nothing', async ({ app, request }) => {
  const refused = await request.post(`${app.baseUrl}api/rpc/jobs.create`, {
    headers: { authorization: `Bearer ${app.token}`, origin: 'http://evil.example' },
    data: NEW_JOB,
  });
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toMatchObject({ ok: false, error: { code: 'HSK-403-FORBIDDEN' } });
  expect(await app.rpc('jobs.list', {})).toMatchObject({ ok: true, data: { items: [] } });
});

test('refuses an unknown job kind with HSK-400-INVALID-JOB-KIND and stores nothing', async ({ app }) => {
  const refused = await app.rpc('jobs.create', { job_kind: 'doc_delete', protocol_id: 'protocol.e2e' });
  expect(refused).toMatchObject({ ok: false, error: { code: 'HSK-400-INVALID-JOB-KIND' } });
  expect(await app.rpc('jobs.list', {})).toEqual({ ok: true, data: { items: [], next_cursor: null } });
});

test('stores term_exec as terminal_exec and returns it that way', async ({ app }) => {
  const created = await app.rpc<{ job_id: string; job_kind: string }>('jobs.create', {
    job_kind: 'term_exec',
    protocol_id: 'hsk.terminal.exec.v0',
    access_mode: 'apply_scoped',
    job_inputs: { argv: ['true'] },
  });
  expect(created).toMatchObject({ ok: true, data: { job_kind: 'terminal_exec' } });
  if (!created.ok) return;
  expect(await app.rpc('jobs.get', { job_id: created.data.job_id })).toMatchObject({ ok: true, data: { job_kind: 'terminal_exec' } });
  const listed = await app.rpc<{ items: { job_id: string; job_kind: string }[] }>('jobs.list', { job_kind: 'terminal_exec' });
  expect(listed.ok && listed.data.items.map((job) => [job.job_id, job.job_kind])).toEqual([[created.data.job_id, 'terminal_exec']]);
});

test('rejects a body over 1 MiB with 413 and stores nothing', async ({ app, request }) => {
  const refused = await request.post(`${app.baseUrl}api/rpc/jobs.create`, {
    headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' },
    data: Buffer.from(JSON.stringify({ ...NEW_JOB, job_inputs: { text: 'x'.repeat(1024 * 1024 + 1), doc_id: NEW_JOB.job_inputs.doc_id } })),
  });
  expect(refused.status()).toBe(413);
  expect(await app.rpc('jobs.list', {})).toMatchObject({ ok: true, data: { items: [] } });
});

test('answers malformed JSON with a 400 HSK-400-INVALID-JSON envelope', async ({ app, request }) => {
  const refused = await request.post(`${app.baseUrl}api/rpc/jobs.create`, {
    headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' },
    // A Buffer is sent as is; a string would be JSON-encoded by Playwright into valid JSON.
    data: Buffer.from('{"job_kind": '),
  });
  expect(refused.status()).toBe(400);
  expect(await refused.json()).toMatchObject({ ok: false, error: { code: 'HSK-400-INVALID-JSON' } });
});
