/**
 * Options both hosts take (`npm run serve` and the desktop app): where the data dir is, which model
 * runtime, how long the Flight Recorder keeps events, and Ollama's settings. Each parser throws an
 * Error with a one-line message on a bad value.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { MODEL_RUNTIME_CHOICES, type ModelRuntimeChoice } from '../../../src-shared/enums';

export const APP_DIR_NAME = 'handshake-jobs';

/**
 * Where Electron keeps userData for this app (`app.getPath('userData')`), so the desktop app and
 * the browser host open the same history by default.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_DIR_NAME);
}

/** Resolves the data dir: the flag, else HANDSHAKE_DATA_DIR, else the desktop app's default. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag || env.HANDSHAKE_DATA_DIR || defaultDataDir(env));
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
  if (!(MODEL_RUNTIME_CHOICES as readonly string[]).includes(value)) {
    throw new Error(`--model-runtime must be one of ${MODEL_RUNTIME_CHOICES.join(', ')}, got ${JSON.stringify(value)}`);
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
