/**
 * `npm run export-otlp -- --data-dir DIR (--job ID | --trace ID | --from T --to T) --out FILE`:
 * writes jobs, runs, nodes and Flight Recorder events as OTLP JSON Lines (the OpenTelemetry File
 * Exporter form), ready for `otelcol`'s file receiver or any tool that reads OTLP/JSON.
 * It takes the data dir's lock like every other writer-capable process, and never creates a
 * database: a directory without handshake.db is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isHskError } from '../../src-shared/errors';
import { UuidSchema } from '../../src-shared/job';
import { parseRfc3339 } from '../../src-shared/time';
import { acquireDataDirLock } from '../core/lock';
import { databasePath } from '../db/open';
import { writeOtlpExport, type OtlpExportSummary, type OtlpScope } from '../otel/otlp-export';
import { Store } from '../store/store';
import { appVersion } from './app-version';
import { resolveDataDir } from '../hosts/shared/host-options';

export const EXPORT_OTLP_USAGE = 'Usage: npm run export-otlp -- --data-dir DIR (--job ID | --trace ID | --from T --to T) --out FILE';

export interface ExportOtlpArgs {
  dataDir: string;
  scope: OtlpScope;
  out: string;
}

function uuidFlag(name: string, value: string): string {
  if (!UuidSchema.safeParse(value).success) throw new Error(`--${name} must be a lowercase UUID, got ${JSON.stringify(value)}`);
  return value;
}

function timeFlag(name: string, value: string | undefined): number {
  const epochMs = value === undefined ? null : parseRfc3339(value);
  if (epochMs === null) throw new Error(`--${name} must be an RFC3339 time such as 2026-01-20T10:00:00Z, got ${JSON.stringify(value ?? '')}`);
  return epochMs;
}

function scopeOf(values: { job?: string; trace?: string; from?: string; to?: string }): OtlpScope {
  const chosen = [values.job !== undefined, values.trace !== undefined, values.from !== undefined || values.to !== undefined].filter(Boolean).length;
  if (chosen !== 1) throw new Error('choose exactly one of --job ID, --trace ID, or --from T --to T');
  if (values.job !== undefined) return { job_id: uuidFlag('job', values.job) };
  if (values.trace !== undefined) return { trace_id: uuidFlag('trace', values.trace) };
  const from = timeFlag('from', values.from);
  const to = timeFlag('to', values.to);
  if (to < from) throw new Error('--to must not be before --from');
  return { from, to };
}

/** Throws an Error with a one-line message on a bad option; `null` means help was asked for. */
export function parseExportOtlpArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ExportOtlpArgs | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      job: { type: 'string' },
      trace: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return null;
  if (!values['data-dir'] && !env.HANDSHAKE_DATA_DIR) throw new Error('--data-dir is required');
  if (!values.out) throw new Error('--out FILE is required');
  return { dataDir: resolveDataDir(values['data-dir'], env), scope: scopeOf(values), out: path.resolve(values.out) };
}

export function runExportOtlp(args: ExportOtlpArgs, version: string): OtlpExportSummary {
  if (!fs.existsSync(databasePath(args.dataDir))) throw new Error(`no database at ${databasePath(args.dataDir)}; nothing to export`);
  const lock = acquireDataDirLock(args.dataDir);
  try {
    const store = Store.open(args.dataDir);
    try {
      return writeOtlpExport(store, args.scope, args.out, version);
    } finally {
      store.close();
    }
  } finally {
    lock.release();
  }
}

function main(): number {
  let args: ExportOtlpArgs | null;
  try {
    args = parseExportOtlpArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`export-otlp: ${(error as Error).message}\n${EXPORT_OTLP_USAGE}`);
    return 2;
  }
  if (!args) {
    console.log(EXPORT_OTLP_USAGE);
    return 0;
  }
  try {
    const summary = runExportOtlp(args, appVersion());
    console.log(
      `Wrote ${summary.span_count} spans (${summary.job_count} jobs, ${summary.event_count} events, ${summary.trace_count} traces) ` +
        `to ${summary.path} (${summary.bytes} bytes)${summary.truncated ? '; truncated at the export limits' : ''}.`,
    );
    return 0;
  } catch (error) {
    console.error(isHskError(error) ? `export-otlp: ${error.message} (${error.code})` : `export-otlp: ${(error as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  process.exitCode = main();
}
