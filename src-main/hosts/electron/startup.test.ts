import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HskError } from '../../../src-shared/errors';
import { chooseDataDir, isSupersededLoad, startFailureMessage } from './startup';

describe('chooseDataDir', () => {
  const userData = '/home/u/.config/handshake-jobs';

  it('takes --data-dir (either spelling) first, then HANDSHAKE_DATA_DIR, then userData', () => {
    expect(chooseDataDir(['electron', '.', '--data-dir', '/d/flag'], { HANDSHAKE_DATA_DIR: '/d/env' }, userData)).toBe('/d/flag');
    expect(chooseDataDir(['electron', '.', '--data-dir=/d/eq'], {}, userData)).toBe('/d/eq');
    expect(chooseDataDir(['electron', '.'], { HANDSHAKE_DATA_DIR: '/d/env' }, userData)).toBe('/d/env');
    expect(chooseDataDir(['electron', '.'], {}, userData)).toBe(userData);
  });

  it('makes a relative data dir absolute', () => {
    expect(chooseDataDir(['electron', '.', '--data-dir', 'rel'], {}, userData)).toBe(resolve('rel'));
  });
});

describe('startFailureMessage', () => {
  it('names an HSK error with its code', () => {
    expect(startFailureMessage(new HskError('HSK-409-DATA-DIR-LOCKED', 'Another process (pid 42) uses /d'))).toBe(
      'Another process (pid 42) uses /d (HSK-409-DATA-DIR-LOCKED)',
    );
  });

  it('says that the SQLite driver could not load, with the loader\'s words', () => {
    const dlopen = Object.assign(new Error("/lib/libc.so.6: version `GLIBC_2.38' not found (required by /app/better_sqlite3.node)"), { code: 'ERR_DLOPEN_FAILED' });
    const message = startFailureMessage(dlopen);
    expect(message).toMatch(/^The SQLite driver \(better-sqlite3\) cannot be loaded on this system/);
    expect(message).toContain('GLIBC_2.38');
  });

  it('shows a plain error\'s message without its stack, and anything else as text', () => {
    const error = new Error('--model-runtime must be one of mock, ollama, none, got "x"');
    expect(startFailureMessage(error)).toBe(error.message);
    expect(startFailureMessage('boom')).toBe('boom');
  });
});

describe('isSupersededLoad', () => {
  it('is true only for ERR_ABORTED', () => {
    expect(isSupersededLoad(Object.assign(new Error('ERR_ABORTED (-3) loading app://handshake/index.html'), { code: 'ERR_ABORTED', errno: -3 }))).toBe(true);
    expect(isSupersededLoad(Object.assign(new Error('ERR_FILE_NOT_FOUND'), { code: 'ERR_FILE_NOT_FOUND' }))).toBe(false);
    expect(isSupersededLoad(null)).toBe(false);
  });
});
