/**
 * Command-line options of `npm run serve`. The options both hosts share (data dir, model runtime,
 * retention, Ollama) are parsed in hosts/shared/host-options.ts.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MODEL_RUNTIME_CHOICES, type ModelRuntimeChoice } from '../../src-shared/enums';
import {
  defaultDataDir,
  ollamaSettings,
  parseModelRuntime,
  parseRetentionDays,
  resolveDataDir,
} from '../hosts/shared/host-options';
import { resolveOtlpTracesUrl } from '../otel/live-exporter';

export interface ServeOptions {
  dataDir: string;
  port: number;
  modelRuntime: ModelRuntimeChoice | undefined;
  retentionDays: number | undefined;
  ollama: { model?: string; baseUrl?: string };
  /** The OTLP/HTTP traces URL finished jobs are sent to; null when live export is off. */
  otlpTracesUrl: string | null;
  /** `--bundle FILE.zip`: serve this debug bundle read-only instead of a data dir. */
  bundle: string | undefined;
  allowTerminal: boolean;
}

export type ParsedServeArgs = { kind: 'help' } | { kind: 'run'; options: ServeOptions };

export function serveUsage(env: NodeJS.ProcessEnv = process.env): string {
  return [
    `Usage: npm run serve -- [--data-dir DIR] [--port N] [--model-runtime ${MODEL_RUNTIME_CHOICES.join('|')}] [--allow-terminal]`,
    '       npm run serve -- --bundle FILE.zip [--port N]',
    '',
    'Serves the Handshake Jobs inspector on http://127.0.0.1 (loopback only) with a fresh access token.',
    '',
    '  --data-dir DIR          where handshake.db lives (default: $HANDSHAKE_DATA_DIR, else',
    `                          ${defaultDataDir(env)}, the desktop app's data dir)`,
    '  --port N                TCP port on 127.0.0.1; 0 picks a free one (default: 0)',
    '  --model-runtime KIND    model runtime for model-backed jobs; mock must be chosen explicitly',
    '  --retention-days N      days of Flight Recorder history to keep (default: 30)',
    '  --ollama-model NAME     model the Ollama runtime uses (default: $HANDSHAKE_OLLAMA_MODEL, else llama3.2)',
    '  --ollama-url URL        where Ollama listens (default: $HANDSHAKE_OLLAMA_URL, else http://127.0.0.1:11434)',
    '  --otlp-endpoint URL     send finished jobs as OTLP/HTTP traces to this collector, e.g. http://127.0.0.1:4318',
    '                          (default: $OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or $OTEL_EXPORTER_OTLP_ENDPOINT, else off)',
    '  --bundle FILE.zip       open an exported debug bundle read-only (files checked against its manifest);',
    '                          no data dir is opened or written',
    '  --allow-terminal        consent, for this process, to every terminal_exec submitted to it (scripted use);',
    '                          without it a terminal_exec waits in awaiting_user for the operator',
    '  -h, --help              show this help',
  ].join('\n');
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new Error(`--port must be an integer from 0 to 65535, got ${JSON.stringify(value)}`);
  return port;
}

export function parseBundlePath(value: string | undefined, dataDir: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (dataDir !== undefined) throw new Error('--bundle opens a bundle without a data dir; drop --data-dir');
  if (!value.toLowerCase().endsWith('.zip')) throw new Error(`--bundle expects a debug bundle .zip file, got ${JSON.stringify(value)}`);
  return resolve(value);
}

/** Throws an Error with a one-line message on a bad option. */
export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedServeArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      'model-runtime': { type: 'string' },
      'retention-days': { type: 'string' },
      'ollama-model': { type: 'string' },
      'ollama-url': { type: 'string' },
      'otlp-endpoint': { type: 'string' },
      bundle: { type: 'string' },
      'allow-terminal': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return { kind: 'help' };
  return {
    kind: 'run',
    options: {
      dataDir: resolveDataDir(values['data-dir'], env),
      port: parsePort(values.port),
      modelRuntime: parseModelRuntime(values['model-runtime']),
      retentionDays: parseRetentionDays(values['retention-days']),
      ollama: ollamaSettings(values['ollama-model'], values['ollama-url'], env),
      otlpTracesUrl: resolveOtlpTracesUrl(values['otlp-endpoint'], env),
      bundle: parseBundlePath(values.bundle, values['data-dir']),
      allowTerminal: values['allow-terminal'] ?? false,
    },
  };
}
