import fs from 'node:fs';
import path from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../ipc/router';
import { drain, makeRig, type TestRig } from '../testing/workflows';
import { VALID_INPUTS } from '../testing/valid-inputs';
import { openBundleCore } from './bundle-core';
import { readExportedBundle } from './download';
import { readBundle } from './read-bundle';
import { storeOfBundle } from './bundle-store';
import { listedIdOf } from '../../src-shared/job';

function storeOfBundleJobs(bytes: Uint8Array): string[] {
  const { store } = storeOfBundle(readBundle(bytes, 'b.zip'));
  try {
    return store.listJobs({}).items.map(listedIdOf);
  } finally {
    store.close();
  }
}

let rig: TestRig;
let zip: Uint8Array;
let targetJobId: string;
let exportJobId: string;

/** A real bundle: a terminal_exec job run by the engine, then exported by the debug_bundle_export executor. */
beforeAll(async () => {
  rig = makeRig();
  const target = rig.submit({ job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['echo', 'bundle me'] } });
  await drain(rig.engine);
  const exporter = rig.submit({ job_kind: 'debug_bundle_export', protocol_id: 'hsk.bundle.export.v0', access_mode: 'analysis_only', job_inputs: { target_job_id: target.job_id } });
  await drain(rig.engine);
  targetJobId = target.job_id;
  exportJobId = exporter.job_id;
  zip = new Uint8Array(fs.readFileSync(path.join(rig.dataDir, 'bundles', `${exporter.job_id}.zip`)));
});
afterAll(async () => {
  await rig.close();
});

/** The same bundle with its entries changed by `edit`. */
function rezip(edit: (entries: Record<string, Uint8Array>) => void): Uint8Array {
  const entries = unzipSync(zip);
  edit(entries);
  return zipSync(entries);
}

const statusOf = (files: ReturnType<typeof readBundle>['status']['files'], name: string) => files.find((file) => file.path === name)?.status;

describe('readBundle', () => {
  it('verifies every file of an untouched bundle against its manifest and reads its records', () => {
    const bundle = readBundle(zip, 'b.zip');
    expect(bundle.status.tampered).toBe(false);
    expect(bundle.status.manifest_intact).toBe(true);
    expect(bundle.status.files.map((file) => [file.path, file.status])).toEqual([
      ['coder_prompt.md', 'ok'], ['diagnostics.jsonl', 'ok'], ['env.json', 'ok'], ['job.json', 'ok'], ['metrics.json', 'ok'], ['redaction_report.json', 'ok'], ['repro.md', 'ok'], ['retention_report.json', 'ok'], ['runs.json', 'ok'], ['trace.jsonl', 'ok'], ['traces.otlp.jsonl', 'ok'],
    ]);
    expect(bundle.job?.job_id).toBe(targetJobId);
    expect(bundle.runs).toHaveLength(1);
    expect(bundle.events.map((event) => event.type)).toContain('terminal_command');
    expect(bundle.status.problems).toEqual([]);
  });

  it('reads a job.json exported before the job-model fields with the values migration 6 gives older jobs, and says so', () => {
    const MODEL_FIELDS = ['task_schema_version', 'workspace_scope', 'execution_mode', 'runtime_id', 'flight_recorder_span_id', 'consent_profile_id', 'consent', 'layer_scope'];
    const older = rezip((entries) => {
      const job = JSON.parse(new TextDecoder().decode(entries['job.json'])) as Record<string, unknown>;
      for (const field of MODEL_FIELDS) delete job[field];
      entries['job.json'] = strToU8(JSON.stringify(job));
    });
    const bundle = readBundle(older, 'older.zip');
    expect(bundle.job).toMatchObject({
      job_id: targetJobId,
      runtime_id: 'unrecorded',
      consent_profile_id: 'hsk.consent.terminal_exec.v0',
      consent: { decision: 'not_recorded', source: null },
      flight_recorder_span_id: targetJobId,
    });
    expect(bundle.status.problems).toContainEqual(expect.stringMatching(/predates the job-model fields/));
    // Through the read-only core, the job is listed like any other.
    expect(storeOfBundleJobs(older)).toEqual([targetJobId]);
  });

  it('flags a modified file, a missing file and a file the manifest does not list, each by name', () => {
    const tampered = rezip((entries) => {
      entries['runs.json'] = strToU8(new TextDecoder().decode(entries['runs.json']).replace('"completed"', '"failed"'));
      delete entries['metrics.json'];
      entries['extra.txt'] = strToU8('not from the exporter');
    });
    const { status } = readBundle(tampered, 'b.zip');
    expect(status.tampered).toBe(true);
    expect(statusOf(status.files, 'runs.json')).toBe('modified');
    expect(statusOf(status.files, 'metrics.json')).toBe('missing');
    expect(statusOf(status.files, 'extra.txt')).toBe('unlisted');
    expect(statusOf(status.files, 'job.json')).toBe('ok');
  });

  it('notices a manifest whose hashes were edited to match a changed file', () => {
    const tampered = rezip((entries) => {
      const manifest = JSON.parse(new TextDecoder().decode(entries['bundle_manifest.json'])) as { files: Array<{ path: string; sha256: string }> };
      entries['job.json'] = strToU8('{}');
      manifest.files.find((file) => file.path === 'job.json')!.sha256 = 'e'.repeat(64);
      entries['bundle_manifest.json'] = strToU8(JSON.stringify(manifest));
    });
    const { status } = readBundle(tampered, 'b.zip');
    expect(status.manifest_intact).toBe(false);
    expect(status.tampered).toBe(true);
    expect(status.problems.join('\n')).toMatch(/manifest itself was altered/);
    expect(status.problems.join('\n')).toMatch(/^job\.json: /m);
  });

  it('refuses a file that is not a ZIP with HSK-400-INVALID-BUNDLE', () => {
    expect(() => readBundle(strToU8('just text'), 'notes.zip')).toThrow(expect.objectContaining({ code: 'HSK-400-INVALID-BUNDLE' }));
  });
});

describe('openBundleCore', () => {
  it('serves the bundle through the read channels and refuses every write as read-only', async () => {
    const core = openBundleCore(zip, 'b.zip', '0.0.0-test');
    const router = createRouter(core.handlers, { logError: () => {} });
    const list = await router.call('jobs.list', {});
    expect(list).toMatchObject({ ok: true, data: { items: [{ job_id: targetJobId }] } });
    const events = await router.call('events.list', { job_id: targetJobId, type: 'terminal_command' });
    expect(events).toMatchObject({ ok: true, data: { items: [{ type: 'terminal_command' }] } });
    expect(await router.call('runs.list', { job_id: targetJobId })).toMatchObject({ ok: true, data: { items: [{ job_id: targetJobId }] } });
    expect(await router.call('bundles.status', {})).toMatchObject({ ok: true, data: { mode: 'bundle', file_name: 'b.zip', tampered: false } });
    expect(await router.call('system.status', {})).toMatchObject({ ok: true, data: { accepting_jobs: false, data_dir: 'bundle: b.zip' } });
    for (const [channel, input] of [
      ['jobs.create', VALID_INPUTS['jobs.create']],
      ['jobs.accept', { job_id: targetJobId }],
      ['jobs.cancel', { job_id: targetJobId }],
      ['bundles.export', { job_id: targetJobId }],
    ] as const) {
      expect(await router.call(channel, input)).toMatchObject({ ok: false, error: { code: 'HSK-409-READ-ONLY-BUNDLE' } });
    }
    await core.close('test');
  });

  it('still shows the records of a tampered bundle, beside the files that failed', async () => {
    const tampered = rezip((entries) => {
      entries['trace.jsonl'] = strToU8(`${new TextDecoder().decode(entries['trace.jsonl'])}{"not":"an event"}\n`);
    });
    const core = openBundleCore(tampered, 'b.zip', '0.0.0-test');
    expect(core.bundle.files.find((file) => file.path === 'trace.jsonl')?.status).toBe('modified');
    expect(core.bundle.problems.some((problem) => problem.startsWith('trace.jsonl line'))).toBe(true);
    const events = await core.handlers['events.list']({ job_id: targetJobId, limit: 500 });
    expect(events.items.length).toBeGreaterThan(3);
    await core.close('test');
  });
});

describe('readExportedBundle', () => {
  it('hands back the exported ZIP byte for byte, with its SHA-256', async () => {
    const download = await readExportedBundle(rig.store, rig.dataDir, exportJobId);
    expect(Buffer.from(download.data_base64, 'base64').equals(Buffer.from(zip))).toBe(true);
    expect(download).toMatchObject({ file_name: `handshake-bundle-${exportJobId}.zip`, size_bytes: zip.length });
    expect(download.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a job that is not a finished bundle export', async () => {
    await expect(readExportedBundle(rig.store, rig.dataDir, targetJobId)).rejects.toMatchObject({ code: 'HSK-404-NOT-FOUND' });
  });
});

describe('bundleViewLauncher', () => {
  it('serves each opened bundle on its own loopback address and token, and keeps at most a few open', async () => {
    const { bundleViewLauncher, MAX_OPEN_BUNDLE_VIEWS } = await import('./serve-bundle');
    const launcher = bundleViewLauncher(rig.dataDir, '0.0.0-test');
    const urls: string[] = [];
    try {
      for (let i = 0; i <= MAX_OPEN_BUNDLE_VIEWS; i += 1) urls.push((await launcher.launch('b.zip', zip)).url);
      expect(new Set(urls).size).toBe(urls.length);
      const statusOf = async (url: string) => {
        const { origin, hash } = new URL(url);
        const token = new URLSearchParams(hash.slice(1)).get('token');
        const response = await fetch(`${origin}/api/rpc/bundles.status`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
        return (await response.json()) as { ok: boolean; data?: { mode: string } };
      };
      expect(await statusOf(urls.at(-1)!)).toMatchObject({ ok: true, data: { mode: 'bundle' } });
      await expect(statusOf(urls[0]!)).rejects.toThrow();
      // What the desktop app may hand to the browser: the views still open, never a closed one's port.
      const origins = launcher.openOrigins();
      expect(origins.size).toBe(MAX_OPEN_BUNDLE_VIEWS);
      expect(origins.has(new URL(urls[0]!).origin)).toBe(false);
      expect(origins.has(new URL(urls.at(-1)!).origin)).toBe(true);
    } finally {
      await launcher.closeAll();
    }
    expect(launcher.openOrigins().size).toBe(0);
  });
});
