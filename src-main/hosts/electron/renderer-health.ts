/**
 * Decisions for a window whose page broke: a renderer process that died, or a preload that failed
 * (so the page has no bridge to the core). Pure, so each is unit-tested; window-events.ts wires them.
 */

/** More crashes than this within CRASH_WINDOW_MS is a crash loop: reloading again would not help. */
export const MAX_CRASHES_IN_WINDOW = 3;
export const CRASH_WINDOW_MS = 60_000;

export type AfterRendererGone = 'reload' | 'give-up' | 'ignore';

/**
 * What to do when the renderer process is gone. `recentCrashes` are the times (ms) of earlier
 * crashes of this window. A clean exit is the window closing, not a failure.
 */
export function decideAfterRendererGone(reason: string, recentCrashes: readonly number[], now: number): AfterRendererGone {
  if (reason === 'clean-exit') return 'ignore';
  const inWindow = recentCrashes.filter((time) => now - time < CRASH_WINDOW_MS).length;
  return inWindow + 1 >= MAX_CRASHES_IN_WINDOW ? 'give-up' : 'reload';
}

/** The line recorded for a renderer crash (stderr and renderer-crashes.log in the data dir). */
export function rendererCrashLine(details: { reason: string; exitCode: number }, action: AfterRendererGone, now: number): string {
  const outcome = action === 'reload' ? 'window reloaded' : 'window not reloaded (crash loop)';
  return `${new Date(now).toISOString()} renderer process gone: ${details.reason} (exit code ${details.exitCode}); ${outcome}`;
}

export function rendererCrashNotice(reason: string): string {
  return `The window stopped unexpectedly (${reason}) and was reloaded. Jobs run in the main process and were not affected.`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * A self-contained error page as a data: URL: no script (its own CSP forbids any), no links, so it
 * can neither reach the core nor navigate anywhere.
 */
export function errorPageUrl(title: string, paragraphs: readonly string[]): string {
  const html = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(title)}</title>`,
    '<style>body{font:15px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color-scheme:light dark}code{font-family:ui-monospace,monospace;word-break:break-all}</style>',
    `</head><body><h1>${escapeHtml(title)}</h1>`,
    ...paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    '</body></html>',
  ].join('');
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}

export function preloadErrorPageUrl(preloadPath: string, error: { message?: unknown } | null | undefined): string {
  const cause = typeof error?.message === 'string' && error.message !== '' ? error.message : String(error);
  return errorPageUrl('Handshake Jobs cannot show your jobs', [
    'The window\'s bridge to the app (its preload script) failed to load, so this page cannot reach the job store. Nothing was changed.',
    `Cause: ${cause}`,
    `Preload script: ${preloadPath}`,
    'Rebuild the app (npm start builds it) and start it again.',
  ]);
}

export function crashLoopPageUrl(reason: string): string {
  return errorPageUrl('Handshake Jobs: the window keeps crashing', [
    `The window's renderer process stopped ${MAX_CRASHES_IN_WINDOW} times within a minute (last reason: ${reason}), so it was not reloaded again.`,
    'Jobs run in the main process and are kept. Quit and start the app again; the crashes are listed in renderer-crashes.log in the data dir.',
  ]);
}
