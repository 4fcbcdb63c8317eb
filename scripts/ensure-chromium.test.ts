import { describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findChromium } from './ensure-chromium';

describe('findChromium', () => {
  it('uses PLAYWRIGHT_CHROMIUM_PATH when it points at a file', () => {
    expect(findChromium({ PLAYWRIGHT_CHROMIUM_PATH: process.execPath })).toBe(process.execPath);
  });

  it('does not fall back to another browser when PLAYWRIGHT_CHROMIUM_PATH is wrong', () => {
    expect(findChromium({ PLAYWRIGHT_CHROMIUM_PATH: '/nonexistent/chromium' })).toBeNull();
  });

  it('launches without sandbox, GPU or background network traffic', () => {
    expect(CHROMIUM_ARGS).toEqual(expect.arrayContaining(['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']));
  });
});
