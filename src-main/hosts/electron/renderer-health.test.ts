import { describe, expect, it } from 'vitest';
import { CRASH_WINDOW_MS, crashLoopPageUrl, decideAfterRendererGone, errorPageUrl, preloadErrorPageUrl, rendererCrashLine } from './renderer-health';

const htmlOf = (url: string) => decodeURIComponent(url.slice('data:text/html;charset=utf-8,'.length));

describe('decideAfterRendererGone', () => {
  const now = 1_000_000;

  it('reloads after a crash, a kill or an out-of-memory', () => {
    for (const reason of ['crashed', 'killed', 'oom', 'abnormal-exit', 'launch-failed']) {
      expect(decideAfterRendererGone(reason, [], now), reason).toBe('reload');
    }
  });

  it('ignores a clean exit (the window closing)', () => {
    expect(decideAfterRendererGone('clean-exit', [], now)).toBe('ignore');
  });

  it('gives up on the third crash within the window, and counts only crashes inside it', () => {
    expect(decideAfterRendererGone('crashed', [now - 10], now)).toBe('reload');
    expect(decideAfterRendererGone('crashed', [now - 20, now - 10], now)).toBe('give-up');
    expect(decideAfterRendererGone('crashed', [now - CRASH_WINDOW_MS - 1, now - 10], now)).toBe('reload');
  });
});

describe('rendererCrashLine', () => {
  it('names the time, reason, exit code and what was done', () => {
    expect(rendererCrashLine({ reason: 'oom', exitCode: 9 }, 'reload', Date.UTC(2025, 0, 2, 3, 4, 5))).toBe(
      '2025-01-02T03:04:05.000Z renderer process gone: oom (exit code 9); window reloaded',
    );
    expect(rendererCrashLine({ reason: 'crashed', exitCode: 139 }, 'give-up', 0)).toContain('not reloaded (crash loop)');
  });
});

describe('error pages', () => {
  it('are data: pages whose own CSP allows no script', () => {
    const html = htmlOf(errorPageUrl('Title', ['Body']));
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|<a /i);
  });

  it('escape what they show, so an error message cannot inject markup', () => {
    const html = htmlOf(errorPageUrl('<b>x</b>', ['<img src=x onerror=alert(1)>', '"quoted" & \'single\'']));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(html).toContain('&#34;quoted&#34; &#38; &#39;single&#39;');
  });

  it('name the preload\'s failure and its path', () => {
    const html = htmlOf(preloadErrorPageUrl('/app/out/preload/index.cjs', new Error('contextBridge is not defined')));
    expect(html).toContain('Cause: contextBridge is not defined');
    expect(html).toContain('/app/out/preload/index.cjs');
    expect(htmlOf(preloadErrorPageUrl('/p.cjs', null))).toContain('Cause: null');
  });

  it('say why a crash loop was not reloaded', () => {
    expect(htmlOf(crashLoopPageUrl('oom'))).toContain('last reason: oom');
  });
});
