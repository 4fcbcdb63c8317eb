import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../hosts/shared/host-options';
import { parseServeArgs, serveUsage } from './args';

const ENV = { XDG_CONFIG_HOME: '/home/u/.config' };

describe('parseServeArgs', () => {
  it('takes --bundle FILE.zip instead of a data dir, and refuses both together or a file that is not a .zip', () => {
    expect(parseServeArgs(['--bundle', 'exports/b.zip'], ENV)).toMatchObject({ options: { bundle: resolve('exports/b.zip') } });
    expect(() => parseServeArgs(['--bundle', 'b.zip', '--data-dir', 'd'], ENV)).toThrow(/drop --data-dir/);
    expect(() => parseServeArgs(['--bundle', 'b.tar'], ENV)).toThrow(/\.zip/);
  });

  it('takes --data-dir, --port and --model-runtime', () => {
    expect(parseServeArgs(['--data-dir', 'rel/dir', '--port', '0', '--model-runtime', 'mock'], ENV)).toEqual({
      kind: 'run',
      options: { dataDir: resolve('rel/dir'), port: 0, modelRuntime: 'mock', retentionDays: undefined, ollama: {}, otlpTracesUrl: null, allowTerminal: false },
    });
  });

  it('takes exactly the switch --allow-terminal, and no value for it', () => {
    expect(parseServeArgs(['--allow-terminal'], ENV)).toMatchObject({ options: { allowTerminal: true } });
    expect(() => parseServeArgs(['--allow-terminal=yes'], ENV)).toThrow();
    expect(() => parseServeArgs(['--allow-terminals'], ENV)).toThrow();
  });

  it('takes --retention-days and the Ollama model and URL, from flags before the environment', () => {
    const env = { ...ENV, HANDSHAKE_OLLAMA_MODEL: 'env-model', HANDSHAKE_OLLAMA_URL: 'http://127.0.0.1:9999' };
    expect(parseServeArgs(['--retention-days', '7', '--ollama-model', 'qwen2.5'], env)).toMatchObject({
      options: { retentionDays: 7, ollama: { model: 'qwen2.5', baseUrl: 'http://127.0.0.1:9999' } },
    });
  });

  it('refuses a non-positive retention and a non-http Ollama URL with a one-line message', () => {
    expect(() => parseServeArgs(['--retention-days', '0'], ENV)).toThrow(/--retention-days must be a positive number/);
    expect(() => parseServeArgs(['--retention-days', 'soon'], ENV)).toThrow(/--retention-days/);
    expect(() => parseServeArgs(['--ollama-url', 'ftp://x'], ENV)).toThrow(/--ollama-url must be an http\(s\) URL/);
  });

  it('falls back to HANDSHAKE_DATA_DIR, then to the desktop app data dir', () => {
    const fromEnv = parseServeArgs([], { ...ENV, HANDSHAKE_DATA_DIR: '/data/hsk' });
    expect(fromEnv).toMatchObject({ options: { dataDir: '/data/hsk', port: 0, modelRuntime: undefined } });
    const fallback = parseServeArgs([], ENV);
    expect(fallback).toMatchObject({ options: { dataDir: defaultDataDir(ENV) } });
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
