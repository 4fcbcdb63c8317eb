import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, flagValue, hasAllowTerminal } from './host-options';

const ENV = { XDG_CONFIG_HOME: '/home/u/.config' };

describe('defaultDataDir', () => {
  it('uses Electron\'s userData location as the default data dir', () => {
    expect(defaultDataDir(ENV, 'linux')).toBe('/home/u/.config/handshake-jobs');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toBe(join('C:\\Users\\u\\AppData\\Roaming', 'handshake-jobs'));
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

describe('hasAllowTerminal (the desktop app)', () => {
  it('sees the exact switch among Electron and Chromium switches, and nothing like it', () => {
    expect(hasAllowTerminal(['/usr/bin/electron', '--no-sandbox', 'out/main/index.js', '--allow-terminal'])).toBe(true);
    expect(hasAllowTerminal(['electron', '--allow-terminal=1', '--allow-terminals', '--data-dir', '/tmp/x'])).toBe(false);
  });
});
