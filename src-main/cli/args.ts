/**
 * Command-line options of the hosts (`npm run serve`, and the Electron app's --data-dir).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MODEL_RUNTIME_CHOICES, type ModelRuntimeChoice } from '../../src-shared/enums';

export const APP_DIR_NAME = 'handshake-jobs';
const MODEL_RUNTIMES: readonly ModelRuntimeChoice[] = MODEL_RUNTIME_CHOICES;

/**
 * Where Electron keeps userData for this app (`app.getPath('userData')`), so the desktop app and
 * the browser host open the same history by default.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_DIR_NAME);
}

export interface ServeOptions {
  dataDir: string;
  port: number;
  modelRuntime: ModelRuntimeChoice | undefined;
  retentionDays: number | undefined;
  ollama: { model?: string; baseUrl?: string };
  allowTerminal: boolean;
}

export type ParsedServeArgs = { kind: 'help' } | { kind: 'run'; options: ServeOptions };

export function serveUsage(env: NodeJS.ProcessEnv = process.env): string {
  return [
    `Usage: npm run serve -- [--data-dir DIR] [--port N] [--model-runtime ${MODEL_RUNTIME_CHOICES.join('|')}] [--allow-terminal]`,
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
    '  --allow-terminal        consent, for this process, to every terminal_exec submitted to it (scripted use);',
    '                          without it a terminal_exec waits in awaiting_user for the operator',
    '  -h, --help              show this help',
  ].join('\n');
}

/** Resolves the data dir: the flag, else HANDSHAKE_DATA_DIR, else the desktop app's default. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag || env.HANDSHAKE_DATA_DIR || defaultDataDir(env));
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new Error(`--port must be an integer from 0 to 65535, got ${JSON.stringify(value)}`);
  return port;
}

export function parseRetentionDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const days = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(days > 0)) throw new Error(`--retention-days must be a positive number, got ${JSON.stringify(value)}`);
  return days;
}

/** Ollama settings from flags, else the environment; unset values keep the runtime's defaults. */
export function ollamaSettings(model: string | undefined, url: string | undefined, env: NodeJS.ProcessEnv = process.env): { model?: string; baseUrl?: string } {
  const settings: { model?: string; baseUrl?: string } = {};
  const chosenModel = model ?? env.HANDSHAKE_OLLAMA_MODEL;
  const chosenUrl = url ?? env.HANDSHAKE_OLLAMA_URL;
  if (chosenModel) settings.model = chosenModel;
  if (chosenUrl) {
    if (!/^https?:\/\//.test(chosenUrl)) throw new Error(`--ollama-url must be an http(s) URL, got ${JSON.stringify(chosenUrl)}`);
    settings.baseUrl = chosenUrl;
  }
  return settings;
}

export function parseModelRuntime(value: string | undefined): ModelRuntimeChoice | undefined {
  if (value === undefined) return undefined;
  if (!(MODEL_RUNTIMES as readonly string[]).includes(value)) {
    throw new Error(`--model-runtime must be one of ${MODEL_RUNTIMES.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as ModelRuntimeChoice;
}

/**
 * The value of `--name VALUE` or `--name=VALUE` in an argv that also holds options this program
 * does not own (Electron and Chromium switches), or undefined.
 */
export function flagValue(argv: readonly string[], name: string): string | undefined {
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    if (arg === name) return argv[index + 1];
    if (arg?.startsWith(`${name}=`)) return arg.slice(name.length + 1);
  }
  return undefined;
}

/** Exactly the switch `--allow-terminal`, among options this program does not own (the desktop app's argv). */
export function hasAllowTerminal(argv: readonly string[]): boolean {
  return argv.includes('--allow-terminal');
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
      allowTerminal: values['allow-terminal'] ?? false,
    },
  };
}
