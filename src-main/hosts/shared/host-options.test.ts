import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, flagValue } from './host-options';

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
