import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStubCore } from '../../testing/stub-core';
import { startHttpHost, type HttpHost } from './http-host';
import { rawRequest } from '../../testing/http-client';

// A file that passes the host's check and is gone when it is read (a rebuild replacing assets).
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    stat: async (file: string) => (String(file).endsWith('vanished.js') ? actual.stat(__filename) : actual.stat(file)),
  };
});

let workDir: string;
let host: HttpHost;

beforeEach(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'hsk-http-race-'));
  const rendererDir = join(workDir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Handshake</title>');
  host = await startHttpHost({ core: createStubCore(join(workDir, 'data')), rendererDir, port: 0 });
});

afterEach(async () => {
  await host.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('startHttpHost: static files', () => {
  it('answers 404 and stays up when a file vanishes between its check and its read', async () => {
    const response = await rawRequest({ port: host.port, path: '/assets/vanished.js' });
    expect(response.status).toBe(404);
    expect((await rawRequest({ port: host.port, path: '/' })).status).toBe(200);
  });
});
