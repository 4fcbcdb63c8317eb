import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeTracesDataJson, spansOf, traceProblems } from '../testing/otlp-proto';
import { drain, makeRig, type TestRig } from '../testing/workflows';
import { dbOf } from '../testing/store';

let rig: TestRig;
afterEach(async () => {
  await rig.close();
});

const bundle = (target: string) => ({
  job_kind: 'debug_bundle_export',
  protocol_id: 'hsk.bundle.export.v0',
  access_mode: 'analysis_only' as const,
  job_inputs: { target_job_id: target },
});

describe('debug_bundle_export executor', () => {
  it('writes the job, runs, events and metrics with a SHA-256 manifest, redacted, and a ZIP', async () => {
    rig = makeRig();
    const secret = 'sk-abcdefghijklmnopqrstuvwxyz123456';
    const home = path.join(os.homedir(), 'private', 'notes.txt');
    const target = rig.submit({
      job_kind: 'terminal_exec',
      protocol_id: 'hsk.terminal.exec.v0',
      access_mode: 'apply_scoped',
      job_inputs: { argv: ['echo', secret, home] },
    });
    await drain(rig.engine);
    const exportJob = rig.submit(bundle(target.job_id));
    await drain(rig.engine);

    const done = rig.store.getJob(exportJob.job_id);
    expect(done.state).toBe('completed');
    const outputs = done.job_outputs as { directory: string; path: string; files: Array<{ path: string; sha256: string }> };
    const manifest = JSON.parse(fs.readFileSync(path.join(outputs.directory, 'bundle_manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { path: string }) => f.path).sort()).toEqual(
      ["coder_prompt.md", "diagnostics.jsonl", "env.json", "job.json", "metrics.json", "redaction_report.json", "repro.md", "retention_report.json", "runs.json", "trace.jsonl", "traces.otlp.jsonl"],
    );
    for (const file of manifest.files as Array<{ path: string; sha256: string }>) {
      const bytes = fs.readFileSync(path.join(outputs.directory, file.path));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
    }
    const everything = manifest.files.map((f: { path: string }) => fs.readFileSync(path.join(outputs.directory, f.path), 'utf8')).join('\n');
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(os.homedir());
    expect(everything).toContain('[REDACTED:secret_api_key:openai_style_key]');
    expect(everything).toContain('[REDACTED:path_absolute:home_dir]');
    const trace = fs.readFileSync(path.join(outputs.directory, 'trace.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(trace.map((e) => e.type)).toContain('terminal_command');
    expect(trace.every((e) => e.job_id === target.job_id)).toBe(true);
    expect(fs.readFileSync(outputs.path).subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    const otlp = decodeTracesDataJson(fs.readFileSync(path.join(outputs.directory, 'traces.otlp.jsonl'), 'utf8').trim());
    expect(otlp.problems).toEqual([]);
    expect(traceProblems(spansOf(otlp.message))).toEqual([]);
    expect(spansOf(otlp.message).map((span) => span.name)).toEqual(['job terminal_exec', 'run terminal_exec #1', 'node terminal_exec']);

    const [event] = rig.store.listEvents({ job_id: exportJob.job_id, type: ['debug_bundle_export'], limit: 5 }).items;
    expect(event?.payload).toMatchObject({ bundle_id: exportJob.job_id, scope: 'job', redaction_mode: 'SAFE_DEFAULT', included_job_ids: [target.job_id] });
  });

  it('masks values under secret-named keys in the default (SAFE_DEFAULT) payload previews', async () => {
    rig = makeRig();
    const target = rig.submit({
      job_kind: 'terminal_exec',
      protocol_id: 'hsk.terminal.exec.v0',
      access_mode: 'apply_scoped',
      job_inputs: { argv: ['true'], env: { GITHUB_TOKEN: 'plain-secret-value', DB_PASSWORD: 'hunter2hunter2' } },
    });
    await drain(rig.engine);
    const exportJob = rig.submit(bundle(target.job_id));
    await drain(rig.engine);

    const outputs = rig.store.getJob(exportJob.job_id).job_outputs as { directory: string };
    const job = fs.readFileSync(path.join(outputs.directory, 'job.json'), 'utf8');
    const runs = fs.readFileSync(path.join(outputs.directory, 'runs.json'), 'utf8');
    for (const text of [job, runs]) {
      expect(text).toContain('[REDACTED:secret_token:secret_key_name]');
      expect(text).not.toContain('plain-secret-value');
      expect(text).not.toContain('hunter2hunter2');
    }
  });

  it('writes byte-identical ZIPs for the same bundle content, readable back entry by entry', async () => {
    const { deterministicZip } = await import('./zip');
    const { unzipSync, strFromU8 } = await import('fflate');
    rig = makeRig();
    const files = [{ name: 'b.txt', data: Buffer.from('two') }, { name: 'a.txt', data: Buffer.from('one') }];
    const zip = deterministicZip(files);
    expect(zip.equals(deterministicZip([...files].reverse()))).toBe(true);
    const entries = unzipSync(new Uint8Array(zip));
    expect(Object.keys(entries)).toEqual(['a.txt', 'b.txt']);
    expect(strFromU8(entries['b.txt']!)).toBe('two');
  });

  it('writes env.json (versions, platform, model runtime reachability, settings) with no paths or secrets', async () => {
    rig = makeRig({
      environment: () => ({
        app_version: '9.9.9',
        host: 'browser',
        retention_days: 14,
        allow_terminal: true,
        model_runtime: {
          kind: 'ollama',
          label: 'Ollama (tiny) at http://127.0.0.1:11434',
          model_id: 'ollama:tiny',
          reachability: { reachable: false, models: ['other:latest'], message: 'no model tiny', checked_at: '2026-01-01T00:00:00.000Z' },
        },
      }),
    });
    const target = rig.submit({ job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['true'] } });
    await drain(rig.engine);
    const exportJob = rig.submit(bundle(target.job_id));
    await drain(rig.engine);
    const { directory } = rig.store.getJob(exportJob.job_id).job_outputs as { directory: string };
    const envText = fs.readFileSync(path.join(directory, 'env.json'), 'utf8');
    expect(JSON.parse(envText)).toMatchObject({
      app_version: '9.9.9',
      platform: process.platform,
      node_version: process.versions.node,
      model_runtime: { kind: 'ollama', model_id: 'ollama:tiny', reachable: false, models: ['other:latest'] },
      settings: { flight_recorder_retention_days: 14, redaction_mode: 'SAFE_DEFAULT', allow_terminal: true },
    });
    expect(envText).not.toContain(rig.dataDir);
    expect(envText).not.toContain(os.homedir());
    const repro = fs.readFileSync(path.join(directory, 'repro.md'), 'utf8');
    expect(repro).toContain('npm run serve -- --data-dir NEW_DIR --model-runtime ollama --allow-terminal');
    expect(repro).toContain(`Observed: \`completed\``);
  });

  it('reports in retention_report.json what the Flight Recorder had already purged for the job', async () => {
    rig = makeRig();
    const target = rig.submit({ job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['true'] } });
    await drain(rig.engine);
    // What a retention purge leaves behind: the job's first events gone and the cutoff remembered.
    const db = dbOf(rig.store);
    db.exec('INSERT INTO fr_purge_marker (active) VALUES (1)');
    db.prepare("DELETE FROM fr_events WHERE job_id = ? AND type = 'job_created'").run(target.job_id);
    db.exec('DELETE FROM fr_purge_marker');
    db.prepare("INSERT OR REPLACE INTO app_meta (key, value) VALUES ('fr_purged_before', ?)").run(new Date(Date.now() + 1_000).toISOString());
    const exportJob = rig.submit(bundle(target.job_id));
    await drain(rig.engine);
    const { directory } = rig.store.getJob(exportJob.job_id).job_outputs as { directory: string };
    const report = JSON.parse(fs.readFileSync(path.join(directory, 'retention_report.json'), 'utf8'));
    expect(report).toMatchObject({
      flight_recorder_retention_days: 30,
      purged_before: expect.any(String),
      jobs: [{ job_id: target.job_id, events_purged: true, job_created_event_missing: true, reason: expect.stringContaining('retention window') }],
    });
  });

  it('bundles every job of one trace_id in a trace scope', async () => {
    rig = makeRig();
    const trace_id = '00000000-0000-4000-8000-0000000000ee';
    const first = rig.submit({ job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', trace_id, job_inputs: { argv: ['true'] } });
    const second = rig.submit({ job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', trace_id, job_inputs: { argv: ['false'] } });
    rig.submit({ job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['true'] } });
    await drain(rig.engine);
    const exportJob = rig.submit({ ...bundle(first.job_id), job_inputs: { scope: 'trace', trace_id } });
    await drain(rig.engine);
    const outputs = rig.store.getJob(exportJob.job_id).job_outputs as { directory: string; included_job_ids: string[]; scope: string };
    expect(outputs).toMatchObject({ scope: 'trace', included_job_ids: [first.job_id, second.job_id] });
    const jobs = JSON.parse(fs.readFileSync(path.join(outputs.directory, 'jobs.json'), 'utf8')) as Array<{ job_id: string; state: string }>;
    expect(jobs.map((job) => [job.job_id, job.state])).toEqual([[first.job_id, 'completed'], [second.job_id, 'failed']]);
    const trace = fs.readFileSync(path.join(outputs.directory, 'trace.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { trace_id: string; job_id: string });
    expect(new Set(trace.map((event) => event.job_id))).toEqual(new Set([first.job_id, second.job_id]));
    expect(trace.every((event) => event.trace_id === trace_id)).toBe(true);
    // Every run of the trace's jobs, with its node executions, and each job's metrics.
    const runs = JSON.parse(fs.readFileSync(path.join(outputs.directory, 'runs.json'), 'utf8')) as Array<{ job_id: string; nodes: unknown[] }>;
    expect(runs.map((run) => run.job_id)).toEqual([first.job_id, second.job_id]);
    expect(runs.every((run) => run.nodes.length === 1)).toBe(true);
    const metrics = JSON.parse(fs.readFileSync(path.join(outputs.directory, 'metrics.json'), 'utf8')) as Array<{ job_id: string }>;
    expect(metrics.map((entry) => entry.job_id)).toEqual([first.job_id, second.job_id]);
  });

  it('fails with target_not_found for a job that does not exist', async () => {
    rig = makeRig();
    const job = rig.submit(bundle('00000000-0000-4000-8000-000000000000'));
    await drain(rig.engine);
    expect(rig.store.getJob(job.job_id).status_reason).toBe('target_not_found');
  });
});

describe('debug bundle scopes', () => {
  const secret = 'sk-abcdefghijklmnopqrstuvwxyz123456';
  const failing = () => ({
    job_kind: 'terminal_exec',
    protocol_id: 'hsk.terminal.exec.v0',
    access_mode: 'analysis_only' as const,
    job_inputs: { argv: ['sh', '-c', `echo ${secret}; exit 7`] },
  });
  const read = (directory: string, name: string) => fs.readFileSync(path.join(directory, name), 'utf8');

  it('problem: every instance, the jobs they link to with their events, a redacted coder prompt, and the export event', async () => {
    rig = makeRig();
    // Denied (analysis_only) twice: one problem, count 2.
    const jobs = [rig.submit(failing()), rig.submit(failing())];
    await drain(rig.engine);
    const [problem] = rig.store.listProblems({}).items;
    expect(problem?.count).toBe(2);
    const exportJob = rig.submit({ job_kind: 'debug_bundle_export', protocol_id: 'hsk.bundle.export.v0', job_inputs: { scope: 'problem', fingerprint: problem!.fingerprint } });
    await drain(rig.engine);
    const done = rig.store.getJob(exportJob.job_id);
    expect(done.state).toBe('completed');
    const { directory } = done.job_outputs as { directory: string };
    const manifest = JSON.parse(read(directory, 'bundle_manifest.json'));
    expect(manifest).toMatchObject({ scope: 'problem', fingerprint: problem!.fingerprint, diagnostic_count: 2 });
    expect([...manifest.included_job_ids].sort()).toEqual(jobs.map((j) => j.job_id).sort());
    const diagnostics = read(directory, 'diagnostics.jsonl').trim().split('\n').map((line) => JSON.parse(line));
    expect(diagnostics.map((d) => d.fingerprint)).toEqual([problem!.fingerprint, problem!.fingerprint]);
    const trace = read(directory, 'trace.jsonl').trim().split('\n').map((line) => JSON.parse(line));
    expect(new Set(trace.map((e) => e.job_id))).toEqual(new Set(jobs.map((j) => j.job_id)));
    const prompt = read(directory, 'coder_prompt.md');
    expect(prompt).toMatch(/^# Problem: terminal_exec: capability denied by policy/);
    expect(prompt).toContain(problem!.fingerprint);
    expect(prompt).toContain('seen 2 time(s)');
    const everything = manifest.files.map((f: { path: string }) => read(directory, f.path)).join('\n');
    expect(everything).not.toContain(secret);
    const [event] = rig.store.listEvents({ job_id: exportJob.job_id, type: ['debug_bundle_export'], limit: 5 }).items;
    expect(event?.payload).toMatchObject({ scope: 'problem', diagnostic_count: 2, included_diagnostic_ids: diagnostics.map((d) => d.id), missing_evidence: [] });
  });

  it('time_window: the events in the window, their jobs and the diagnostics recorded in it, nothing outside', async () => {
    let now = Date.UTC(2026, 0, 10);
    rig = makeRig({ clock: () => now });
    const { store } = rig;
    store.recordEvent({ type: 'app_stopped', actor: 'system', trace_id: '00000000-0000-4000-8000-0000000000aa', payload: { reason: 'before the window' } });
    now += 60_000;
    const from = new Date(now).toISOString();
    const inside = store.recordDiagnostic({ title: 'inside', severity: 'error', source: 'system', surface: 'system', trace_id: '00000000-0000-4000-8000-0000000000bb' });
    const to = new Date(now + 1).toISOString();
    now += 60_000;
    store.recordDiagnostic({ title: 'after', severity: 'fatal', source: 'system', surface: 'system', trace_id: '00000000-0000-4000-8000-0000000000cc' });
    const exportJob = rig.submit({ job_kind: 'debug_bundle_export', protocol_id: 'hsk.bundle.export.v0', job_inputs: { scope: 'time_window', from, to } });
    await drain(rig.engine);
    const { directory } = store.getJob(exportJob.job_id).job_outputs as { directory: string };
    const manifest = JSON.parse(read(directory, 'bundle_manifest.json'));
    expect(manifest).toMatchObject({ scope: 'time_window', time_window: { from, to }, included_diagnostic_ids: [inside.id], included_job_ids: [] });
    const trace = read(directory, 'trace.jsonl').trim().split('\n').map((line) => JSON.parse(line));
    expect(trace.map((e) => e.type)).toEqual(['diagnostic']);
    expect(read(directory, 'coder_prompt.md')).toMatch(/^# Problem: inside/);
  });
});
