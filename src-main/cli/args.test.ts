import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, flagValue, parseServeArgs, serveUsage } from './args';

const ENV = { XDG_CONFIG_HOME: '/home/u/.config' };

describe('parseServeArgs', () => {
  it('takes --data-dir, --port and --model-runtime', () => {
    expect(parseServeArgs(['--data-dir', 'rel/dir', '--port', '0', '--model-runtime', 'mock'], ENV)).toEqual({
      kind: 'run',
      options: { dataDir: resolve('rel/dir'), port: 0, modelRuntime: 'mock' },
    });
  });

  it('falls back to HANDSHAKE_DATA_DIR, then to the desktop app data dir', () => {
    const fromEnv = parseServeArgs([], { ...ENV, HANDSHAKE_DATA_DIR: '/data/hsk' });
    expect(fromEnv).toMatchObject({ options: { dataDir: '/data/hsk', port: 0, modelRuntime: undefined } });
    const fallback = parseServeArgs([], ENV);
    expect(fallback).toMatchObject({ options: { dataDir: defaultDataDir(ENV) } });
  });

  it('uses Electron\'s userData location as the default data dir', () => {
    expect(defaultDataDir(ENV, 'linux')).toBe('/home/u/.config/handshake-jobs');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toBe(join('C:\\Users\\u\\AppData\\Roaming', 'handshake-jobs'));
  });

  it('refuses bad ports, unknown runtimes and unknown flags with a message', () => {
    expect(() => parseServeArgs(['--port', '70000'])).toThrow(/--port/);
    expect(() => parseServeArgs(['--port', 'abc'])).toThrow(/--port/);
    expect(() => parseServeArgs(['--model-runtime', 'gpt'])).toThrow(/--model-runtime/);
    expect(() => parseServeArgs(['--verbose'])).toThrow();
  });

  it('shows help that names the default data dir', () => {
    expect(parseServeArgs(['--help'])).toEqual({ kind: 'help' });
    expect(serveUsage(ENV)).toContain('/home/u/.config/handshake-jobs');
  });
});

describe('flagValue', () => {
  it('finds --name VALUE and --name=VALUE among foreign switches', () => {
    const argv = ['/usr/bin/electron', '--no-sandbox', 'out/main/index.js', '--data-dir', '/tmp/a', '--model-runtime=mock'];
    expect(flagValue(argv, '--data-dir')).toBe('/tmp/a');
    expect(flagValue(argv, '--model-runtime')).toBe('mock');
    expect(flagValue(argv, '--port')).toBeUndefined();
  });
});
