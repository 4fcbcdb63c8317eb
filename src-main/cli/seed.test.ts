import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JOB_KINDS } from '../../src-shared/enums';
import { openCore } from '../core/open-core';
import type { HandshakeCore } from '../core/types';
import { seed } from './seed';

let dataDir = '';
let core: HandshakeCore | null = null;
afterEach(async () => {
  await core?.close('test over');
  core = null;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('seed', () => {
  it('makes history of every kind and state through the engine, with interrupted runs that the next start stalls', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-seed-'));
    const summary = await seed(dataDir, 50);
    expect(summary.jobs).toBe(50);
    expect(Object.keys(summary.byKind).sort()).toEqual([...JOB_KINDS].sort());
    for (const state of ['queued', 'running', 'awaiting_validation', 'awaiting_user', 'completed', 'completed_with_issues', 'failed', 'cancelled', 'poisoned']) {
      expect(summary.byState[state], state).toBeGreaterThan(0);
    }

    core = await openCore({ dataDir, host: 'browser', version: 'test', modelRuntime: 'none', startEngine: false });
    await core.recoveryDone;
    const stalled = await core.handlers['jobs.list']({ state: ['stalled'] });
    expect(stalled.items).toHaveLength(summary.interruptedRuns);
    const queued = await core.handlers['jobs.list']({ state: ['queued'] });
    expect(queued.items).toHaveLength(summary.byState.queued!);
    const model = await core.handlers['events.list']({ type: ['llm_inference'], limit: 5 });
    expect(model.items.every((event) => event.model_id === 'mock:demo')).toBe(true);
  });
});
