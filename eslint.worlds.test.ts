/**
 * Proves that each world rule in eslint.config.js fires: a line that breaks it, linted as if it
 * stood in a file of that world, is reported by the named rule (and the same line is accepted
 * where it is allowed, so the rule is about the world, not the line).
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: import.meta.dirname });

async function rulesFired(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? 'parse-error');
}

const CASES: Array<[string, string, string, string]> = [
  ['Buffer in the renderer', 'export const bytes = Buffer.from("a");', 'src-renderer/lib/probe.ts', 'no-restricted-globals'],
  ['process.env in the renderer', 'export const home = process.env.HOME;', 'src-renderer/lib/probe.ts', 'no-restricted-globals'],
  ['a Node module in the renderer', "import fs from 'node:fs';\nexport const f = fs;", 'src-renderer/lib/probe.ts', 'no-restricted-imports'],
  ['src-main from the renderer', "import { Store } from '../../src-main/store/store';\nexport const s = Store;", 'src-renderer/lib/probe.ts', 'no-restricted-imports'],
  ['Buffer in src-shared', 'export const bytes = Buffer.from("a");', 'src-shared/probe.ts', 'no-restricted-globals'],
  ['window in src-shared', 'export const w = window;', 'src-shared/probe.ts', 'no-restricted-globals'],
  ['zod-free Node import in src-shared', "import path from 'path';\nexport const p = path;", 'src-shared/probe.ts', 'no-restricted-imports'],
  ['window in src-main', 'export const w = window.location;', 'src-main/core/probe.ts', 'no-restricted-globals'],
  ['document in src-main', 'export const d = document.title;', 'src-main/core/probe.ts', 'no-restricted-globals'],
  ['electron outside hosts/electron', "import { app } from 'electron';\nexport const a = app;", 'src-main/core/probe.ts', 'no-restricted-imports'],
  ['a package in the preload', "import { z } from 'zod';\nexport const s = z;", 'src-main/hosts/electron/preload.ts', 'no-restricted-imports'],
  ['a Node module in the preload', "import fs from 'node:fs';\nexport const f = fs;", 'src-main/hosts/electron/preload.ts', 'no-restricted-imports'],
  ['store/ from db/', "import { Store } from '../store/store';\nexport const s = Store;", 'src-main/db/probe.ts', 'no-restricted-imports'],
  ['flight-recorder/ from db/', "import { FlightRecorder } from '../flight-recorder/recorder';\nexport const f = FlightRecorder;", 'src-main/db/probe.ts', 'no-restricted-imports'],
  ['store/ from flight-recorder/', "import { Store } from '../store/store';\nexport const s = Store;", 'src-main/flight-recorder/probe.ts', 'no-restricted-imports'],
];

const ALLOWED: Array<[string, string, string]> = [
  ['Buffer in src-main', 'export const bytes = Buffer.from("a");', 'src-main/core/probe.ts'],
  ['window in the renderer', 'export const w = window.location;', 'src-renderer/lib/probe.ts'],
  ['electron in hosts/electron', "import { app } from 'electron';\nexport const a = app;", 'src-main/hosts/electron/probe.ts'],
  ['electron and a relative module in the preload', "import { ipcRenderer } from 'electron';\nimport { PUSH_IPC_CHANNEL } from './channels';\nexport const x = [ipcRenderer, PUSH_IPC_CHANNEL];", 'src-main/hosts/electron/preload.ts'],
  ['db/ from store/', "import { uuidv7 } from '../db/ids';\nexport const id = uuidv7;", 'src-main/store/probe.ts'],
  ['flight-recorder/ from store/', "import { FlightRecorder } from '../flight-recorder/recorder';\nexport const f = FlightRecorder;", 'src-main/store/probe.ts'],
];

describe('lint rules of the three worlds', () => {
  it.each(CASES)('reports %s', async (_label, code, filePath, rule) => {
    expect(await rulesFired(code, filePath)).toContain(rule);
  });

  it.each(ALLOWED)('accepts %s', async (_label, code, filePath) => {
    expect(await rulesFired(code, filePath)).toEqual([]);
  });
});
