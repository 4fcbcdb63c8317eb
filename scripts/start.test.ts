import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src-main/hosts/shared/renderer-build';
import { makeTempDir } from '../src-main/testing/temp-dir';
import { downloadFailedMessage, installFailureReason, rootSandboxProblem, withAbsoluteDataDir } from './start';

describe('withAbsoluteDataDir', () => {
  it('makes a relative --data-dir absolute against the folder npm start was typed in', () => {
    expect(withAbsoluteDataDir(['--data-dir', 'jobs', '--model-runtime', 'mock'], '/home/u/work')).toEqual(['--data-dir', '/home/u/work/jobs', '--model-runtime', 'mock']);
    expect(withAbsoluteDataDir(['--data-dir=../x'], '/home/u/work')).toEqual(['--data-dir=/home/u/x']);
  });

  it('leaves absolute dirs and every other argument alone', () => {
    const args = ['--no-sandbox', '--data-dir', '/abs/dir', 'jobs', '--retention-days', '7'];
    expect(withAbsoluteDataDir(args, '/home/u')).toEqual(args);
  });
});

describe('rootSandboxProblem', () => {
  it('asks root on Linux for --no-sandbox, naming the command', () => {
    expect(rootSandboxProblem(0, 'linux', [])).toContain('npm start -- --no-sandbox');
  });

  it('is satisfied by --no-sandbox, a normal user or another platform', () => {
    expect(rootSandboxProblem(0, 'linux', ['--no-sandbox'])).toBeNull();
    expect(rootSandboxProblem(1000, 'linux', [])).toBeNull();
    expect(rootSandboxProblem(undefined, 'win32', [])).toBeNull();
  });
});

describe('installFailureReason', () => {
  it('takes the error line of the stack install-electron prints', () => {
    const output = 'TypeError: fetch failed\n    at node:internal/deps/undici/undici:15270:13\n    at async downloadArtifact (file:///x/index.js:154:12)\n';
    expect(installFailureReason(output)).toBe('TypeError: fetch failed');
    expect(installFailureReason('\n\n')).toBe('no output');
  });

  it('builds a one-line message that says what to run', () => {
    const message = downloadFailedMessage('TypeError: fetch failed');
    expect(message).not.toContain('\n');
    expect(message).toContain('npm start');
    expect(message).toContain('npx install-electron');
  });
});

describe('npm start without an Electron binary, where it cannot be downloaded', () => {
  function runStart(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const tsx = resolve(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs');
    const child = spawn(process.execPath, [tsx, 'scripts/start.ts', '--data-dir', 'some-dir'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolvePromise) => child.once('close', (code) => resolvePromise({ code, stdout, stderr })));
  }

  it('prints one line naming what is missing and what to run, no stack, and exits 1', async () => {
    const emptyDist = makeTempDir('hsk-no-electron-');
    const emptyCache = makeTempDir('hsk-no-electron-cache-');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // No binary here whatever this machine has installed, no cached zip, and a mirror that refuses.
      ELECTRON_OVERRIDE_DIST_PATH: emptyDist,
      electron_config_cache: emptyCache,
      ELECTRON_MIRROR: 'http://127.0.0.1:9/',
    };
    for (const name of Object.keys(env)) if (/^npm_(package_)?config_electron_/i.test(name)) delete env[name];
    const { code, stdout, stderr } = await runStart(env);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toContain(`(no binary in ${emptyDist})`);
    expect(lines[0]).toMatch(/^Electron \d+\.\d+\.\d+ is not installed .*downloading it with install-electron\.\.\. failed \(.+\)\. Connect to the internet and run `npm start` again/);
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
