/**
 * Run again (issue 11, item 6): a finished job is cloned into a new job with the same, editable
 * inputs, linked both ways (rerun_of), while the finished job keeps its terminal state.
 */
import { expect, startServe, test, type ServeHandle } from './fixtures/app';
import { expectNoSeriousA11yViolations, openApp, screenshotBothThemes, shortOf, waitForJobState } from './ui-support';

let app: ServeHandle;
test.beforeAll(async () => {
  app = await startServe();
});
test.afterAll(async () => {
  await app.stop();
});

async function finishedSummary(text: string): Promise<string> {
  const created = await app.rpc<{ job_id: string }>('jobs.create', { job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', job_inputs: { doc_id: '00000000-0000-4000-8000-0000000000d0', text } });
  if (!created.ok) throw new Error(created.error.message);
  await waitForJobState(app.rpc, created.data.job_id, ['completed', 'completed_with_issues']);
  return created.data.job_id;
}

test('runs a finished job again with edited inputs as a new job, linked both ways', async ({ page }) => {
  const original = await finishedSummary('first draft of the notes');
  await openApp(page, `${app.url}&job=${original}`);
  await page.getByTestId('action-rerun').click();
  const dialog = page.getByTestId('rerun-dialog');
  await expect(page.getByTestId('rerun-inputs')).toHaveValue(/"text": "first draft of the notes"/);
  await screenshotBothThemes(page, 'rerun-dialog');
  await expectNoSeriousA11yViolations(page);
  await page.getByTestId('rerun-inputs').fill(JSON.stringify({ doc_id: '00000000-0000-4000-8000-0000000000d0', text: 'second draft of the notes' }));
  await dialog.getByTestId('rerun-confirm').click();

  const inspector = page.getByTestId('job-inspector');
  await expect(inspector).not.toHaveAttribute('data-job-id', original);
  const rerun = (await inspector.getAttribute('data-job-id'))!;
  await expect(page.getByTestId('rerun-of')).toContainText(`doc_summarize ${shortOf(original)}`);
  const stored = await app.rpc<{ job_inputs: unknown; entity_refs: unknown[]; trace_id: string }>('jobs.get', { job_id: rerun });
  const source = await app.rpc<{ trace_id: string; state: string }>('jobs.get', { job_id: original });
  expect(stored.ok && source.ok).toBe(true);
  if (stored.ok && source.ok) {
    expect(stored.data.job_inputs).toEqual({ doc_id: '00000000-0000-4000-8000-0000000000d0', text: 'second draft of the notes' });
    expect(stored.data.entity_refs).toContainEqual({ entity_kind: 'ai_job', entity_id: original, selector: 'rerun_of' });
    expect(stored.data.trace_id).toBe(source.data.trace_id);
    expect(source.data.state).toMatch(/^completed/);
  }
  await waitForJobState(app.rpc, rerun, ['completed', 'completed_with_issues']);
  await screenshotBothThemes(page, 'rerun-links');
  await expectNoSeriousA11yViolations(page, '[data-testid=explain-panel]');

  await page.getByTestId('rerun-of').getByTestId('rerun-link').click();
  await expect(inspector).toHaveAttribute('data-job-id', original);
  await expect(page.getByTestId('reruns')).toContainText(`doc_summarize ${shortOf(rerun)}`);
});

test('refuses inputs that are not JSON inside the dialog and creates nothing', async ({ page }) => {
  const original = await finishedSummary('notes');
  const before = await app.rpc<{ total: number }>('jobs.count', {});
  await openApp(page, `${app.url}&job=${original}`);
  await page.getByTestId('action-rerun').click();
  await page.getByTestId('rerun-inputs').fill('{ "text": ');
  await page.getByTestId('rerun-confirm').click();
  await expect(page.getByTestId('rerun-error')).toContainText('Inputs are not valid JSON');
  await expect(page.getByTestId('rerun-inputs')).toHaveAttribute('aria-invalid', 'true');
  const after = await app.rpc<{ total: number }>('jobs.count', {});
  expect(after.ok && before.ok && after.data.total === before.data.total).toBe(true);
});
