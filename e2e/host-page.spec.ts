/**
 * The page itself, in the installed Chromium: it loads under the strict CSP, reaches the API with
 * the token from the URL fragment, and receives push events over EventSource.
 */
import { expect, test } from './fixtures/app';

test('loads the app page with its security headers and no CSP violations', async ({ app, page }) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(error.message));
  const response = await page.goto(app.url);
  expect(response?.status()).toBe(200);
  const headers = response?.headers() ?? {};
  expect(headers['content-security-policy']).toContain("script-src 'self'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  await expect(page).toHaveTitle('Handshake Jobs');
  await expect(page.locator('#root > *').first()).toBeVisible();
  await expect(page.getByTestId('recovery-status')).toHaveAttribute('data-state', 'complete');
  expect(problems).toEqual([]);
});

test('delivers push events to an EventSource in the page', async ({ app, page }) => {
  await page.goto(app.url);
  const firstJobPush = page.evaluate(
    (token) =>
      new Promise<unknown>((resolve) => {
        const source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
        source.onmessage = (event) => {
          const message = JSON.parse(String(event.data)) as { name: string };
          if (message.name === 'job.changed') {
            source.close();
            resolve({ id: event.lastEventId, message });
          }
        };
        // A flag as well as an event: the open may come before the next evaluate listens for it.
        source.onopen = () => {
          (window as { testSseOpen?: boolean }).testSseOpen = true;
          window.dispatchEvent(new Event('test-sse-open'));
        };
      }),
    app.token,
  );
  // The stream is subscribed once it has opened; create the job after that milestone.
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        if ((window as { testSseOpen?: boolean }).testSseOpen) resolve();
        else window.addEventListener('test-sse-open', () => resolve(), { once: true });
      }),
  );
  const created = await app.rpc<{ job_id: string }>('jobs.create', { job_kind: 'doc_summarize', protocol_id: 'hsk.docs.summarize.v0', job_inputs: { text: 'page', doc_id: '00000000-0000-4000-8000-0000000000d0' } });
  expect(created.ok).toBe(true);
  const received = (await firstJobPush) as { id: string; message: { seq: number; payload: { job: { job_id: string } } } };
  expect(received.message.payload.job.job_id).toBe(created.ok ? created.data.job_id : '');
  expect(received.id).toBe(String(received.message.seq));
});

test('refuses the page to a foreign Host header', async ({ app, request }) => {
  const response = await request.get(app.baseUrl, { headers: { host: 'rebind.example' } });
  expect(response.status()).toBe(403);
});
