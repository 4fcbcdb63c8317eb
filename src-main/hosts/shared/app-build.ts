/**
 * The whole desktop build (electron-vite: main, preload, renderer into out/), through its API, in
 * this process: `npm start` builds once this way, and the tests of the built bundles build when
 * out/ is missing or older than its sources. No Electron binary is needed to build.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { newestMtime, PROJECT_ROOT } from './renderer-build';

/** What the app build writes; the built-bundle tests and the Electron lane need all three. */
export function appBuildOutputs(root = PROJECT_ROOT): string[] {
  return [join(root, 'out/main/index.js'), join(root, 'out/preload/index.cjs'), join(root, 'out/renderer/index.html')];
}

function appBuildSources(root: string): string[] {
  return ['src-main', 'src-shared', 'src-renderer', 'electron.vite.config.ts', 'package.json'].map((path) => join(root, path));
}

export async function appBuildIsStale(root = PROJECT_ROOT): Promise<boolean> {
  const outputs = await Promise.all(appBuildOutputs(root).map((file) => stat(file).catch(() => null)));
  if (outputs.some((output) => output === null)) return true;
  const oldestOutput = Math.min(...outputs.map((output) => output?.mtimeMs ?? 0));
  const sourceTimes = await Promise.all(appBuildSources(root).map(newestMtime));
  return Math.max(...sourceTimes) > oldestOutput;
}

export async function buildApp(root = PROJECT_ROOT): Promise<void> {
  const { build } = await import('electron-vite');
  await build({ root, configFile: join(root, 'electron.vite.config.ts'), logLevel: 'warn' });
}

/** Builds unless out/ is complete and newer than every source. Progress goes to stderr. */
export async function ensureAppBuilt(root = PROJECT_ROOT): Promise<void> {
  if (!(await appBuildIsStale(root))) return;
  console.error('[build] building the app (out/ is missing or older than its sources)...');
  const started = Date.now();
  await buildApp(root);
  console.error(`[build] app built in ${Date.now() - started} ms`);
}
