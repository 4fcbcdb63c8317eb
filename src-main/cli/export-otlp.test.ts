import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeTracesDataJson, spansOf, traceProblems } from '../testing/otlp-proto';
import { makeTempDir } from '../testing/temp-dir';
import { drain, makeRig } from '../testing/workflows';
import { parseExportOtlpArgs } from './export-otlp';

const CLI = path.join(import.meta.dirname, 'export-otlp.ts');

function runCli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', env: { ...process.env, HANDSHAKE_DATA_DIR: '' } });
}

describe('parseExportOtlpArgs', () => {
  it('takes exactly one scope: a job, a trace, or a time range', () => {
    const job = '0190f5e2-7a3b-7c4d-8e5f-a1b2c3d4e5f6';
    expect(parseExportOtlpArgs(['--data-dir', '/d', '--job', job, '--out', '/o.jsonl'], {})).toEqual({ dataDir: '/d', scope: { job_id: job }, out: '/o.jsonl' });
    expect(parseExportOtlpArgs(['--data-dir', '/d', '--trace', job, '--out', '/o.jsonl'], {})?.scope).toEqual({ trace_id: job });
    expect(parseExportOtlpArgs(['--data-dir', '/d', '--from', '2026-01-01T00:00:00Z', '--to', '2026-01-02T00:00:00Z', '--out', 'o'], {})?.scope).toEqual({
      from: Date.parse('2026-01-01T00:00:00Z'),
      to: Date.parse('2026-01-02T00:00:00Z'),
    });
  });

  it('refuses a missing or doubled scope, a bad id or time, and a missing --out or --data-dir, in one line', () => {
    const job = '0190f5e2-7a3b-7c4d-8e5f-a1b2c3d4e5f6';
    expect(() => parseExportOtlpArgs(['--data-dir', '/d', '--out', 'o'], {})).toThrow(/exactly one of --job ID, --trace ID, or --from T --to T/);
    expect(() => parseExportOtlpArgs(['--data-dir', '/d', '--job', job, '--trace', job, '--out', 'o'], {})).toThrow(/exactly one/);
    expect(() => parseExportOtlpArgs(['--data-dir', '/d', '--job', 'JOB-1', '--out', 'o'], {})).toThrow(/--job must be a lowercase UUID/);
    expect(() => parseExportOtlpArgs(['--data-dir', '/d', '--from', 'yesterday', '--to', '2026-01-02T00:00:00Z', '--out', 'o'], {})).toThrow(/--from must be an RFC3339 time/);
    expect(() => parseExportOtlpArgs(['--data-dir', '/d', '--from', '2026-01-02T00:00:00Z', '--out', 'o'], {})).toThrow(/--to must be an RFC3339 time/);
    expect(() => parseExportOtlpArgs(['--data-dir', '/d', '--job', job], {})).toThrow(/--out FILE is required/);
    expect(() => parseExportOtlpArgs(['--job', job, '--out', 'o'], {})).toThrow(/--data-dir is required/);
  });
});

describe('npm run export-otlp', () => {
  it('writes a job of a real data dir as OTLP JSON Lines that the official definitions decode', async () => {
    const rig = makeRig();
    const job = rig.submit({ job_kind: 'terminal_exec', protocol_id: 'hsk.terminal.exec.v0', access_mode: 'apply_scoped', job_inputs: { argv: ['true'] } });
    await drain(rig.engine);
    await rig.engine.stop();
    rig.store.close();
    try {
      const out = path.join(rig.dataDir, 'job.otlp.jsonl');
      const result = runCli(['--data-dir', rig.dataDir, '--job', job.job_id, '--out', out]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^Wrote 3 spans \(1 jobs, \d+ events, 1 traces\) to .*job\.otlp\.jsonl/);
      const { message, problems } = decodeTracesDataJson(fs.readFileSync(out, 'utf8').trim());
      expect(problems).toEqual([]);
      expect(traceProblems(spansOf(message))).toEqual([]);
    } finally {
      fs.rmSync(rig.dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a directory without a database, creating nothing, with one line and exit 1', () => {
    const empty = makeTempDir('hsk-otlp-cli-');
    const result = runCli(['--data-dir', empty, '--job', '0190f5e2-7a3b-7c4d-8e5f-a1b2c3d4e5f6', '--out', path.join(empty, 'x.jsonl')]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^export-otlp: no database at .*handshake\.db; nothing to export$/)]);
    expect(fs.readdirSync(empty)).toEqual([]);
  });
});
