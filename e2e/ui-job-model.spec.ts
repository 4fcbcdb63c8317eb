/**
 * The job model through the real UI and host: consent for terminal commands (no --allow-terminal
 * here), the operator's accept with the exact argv shown, the Policy tab's rules, the submission
 * refusal of what can never be granted, and the model runtime's reachability in the status bar.
 */
import { expect, test } from '@playwright/test';
import { startServe, type ServeHandle } from './fixtures/app';
import { openApp } from './ui-support';

let app: ServeHandle;

test.beforeAll(async () => {
  app = await startServe({ allowTerminal: false });
});

test.afterAll(async () => {
  await app.stop();
});

type Job = { job_id: string; state: string; status_reason: string; consent: { decision: string; source: string | null } };

async function job(jobId: string): Promise<Job> {
  const answer = await app.rpc<Job>('jobs.get', { job_id: jobId });
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.data;
}

test('a terminal_exec without consent waits for the operator, who sees the exact argv, consents, and it runs', async ({ page }) => {
  const created = await app.rpc<Job>('jobs.create', {
    job_kind: 'terminal_exec',
    protocol_id: 'hsk.terminal.exec.v0',
    access_mode: 'apply_scoped',
    job_inputs: { argv: ['echo', 'hello from', 'the operator'] },
  });
  expect(created).toMatchObject({ ok: true, data: { consent: { decision: 'pending' } } });
  const jobId = created.ok ? created.data.job_id : '';
  await expect.poll(async () => (await job(jobId)).state).toBe('awaiting_user');
  const runs = await app.rpc<{ items: unknown[] }>('runs.list', { job_id: jobId });
  expect(runs.ok && runs.data.items).toEqual([]);

  await openApp(page, `${app.url}&job=${jobId}`);
  await page.getByTestId('action-accept').click();
  const argv = page.getByTestId('consent-argv').locator('li');
  await expect(argv).toHaveText(['echo', 'hello from', 'the operator']);
  await page.getByTestId('confirm-action').click();
  await expect(page.getByTestId('action-result-actor')).toHaveText('human');
  await expect.poll(async () => (await job(jobId)).state).toBe('completed');
  expect((await job(jobId)).consent).toMatchObject({ decision: 'granted', source: 'operator' });

  await page.getByTestId('tab-policy').click();
  const decisions = page.getByTestId('capability-decision');
  await expect(decisions.first()).toBeVisible();
  await expect(page.getByTestId('decision-rule').first()).toHaveText('profile.Coder.grants');
  await expect(page.locator('[data-testid=capability-decision][data-outcome=deny]')).toHaveCount(0);
});

test('refuses at submission a terminal_exec that can never be granted, recording the deny and its rule', async () => {
  const refused = await app.rpc('jobs.create', { job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'preview_only', job_inputs: { argv: ['echo', 'x'] } });
  expect(refused).toMatchObject({ ok: false, error: { code: 'HSK-403-CAPABILITY', details: { capability_id: 'terminal.exec', rule: 'kind.terminal_exec.requires_apply_scoped' } } });
  const denies = await app.rpc<{ items: Array<{ payload: Record<string, unknown> }> }>('events.list', { type: 'capability_action', order: 'desc', limit: 1 });
  expect(denies.ok && denies.data.items[0]?.payload).toMatchObject({ capability_id: 'terminal.exec', decision_outcome: 'deny', job_id: null });
});

test('refuses inputs that do not fit the kind and a protocol the kind does not accept, naming the field', async () => {
  const badInputs = await app.rpc('jobs.create', { job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { cmd: 'echo x' } });
  expect(badInputs).toMatchObject({ ok: false, error: { code: 'HSK-400-INVALID-INPUT', details: { issues: expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(/^job_inputs/) })]) } } });
  const badProtocol = await app.rpc('jobs.create', { job_kind: 'terminal_exec', protocol_id: 'terminal_exec.v1', access_mode: 'apply_scoped', job_inputs: { argv: ['true'] } });
  expect(badProtocol).toMatchObject({ ok: false, error: { details: { issues: [expect.objectContaining({ path: 'protocol_id' })] } } });
});

test('the status bar says whether the model runtime is reachable, and checks again when asked', async ({ page }) => {
  await openApp(page, app.url);
  const runtime = page.getByTestId('model-runtime-status');
  await page.getByTestId('recheck-runtime').click();
  await expect(runtime).toHaveAttribute('data-reachable', 'true');
  await expect(runtime).toContainText('mock:echo');
  await expect(page.getByTestId('allow-terminal')).toHaveCount(0);
});
