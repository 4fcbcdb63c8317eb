/**
 * The browser host serves out/renderer; this builds it first when it is missing or older than its
 * sources, so `npm run serve` on a fresh checkout just works. Renderer only: no Electron bundles.
 */
import { existsSync } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../../..');

export function rendererOutDir(root = PROJECT_ROOT): string {
  return join(root, 'out/renderer');
}

/** Everything whose change should trigger a rebuild of the renderer. */
function rendererSources(root: string): string[] {
  return [join(root, 'src-renderer'), join(root, 'src-shared'), join(root, 'electron.vite.config.ts')];
}

/** The newest modification time (ms) of a file or anything under a directory; 0 when it is missing. */
export async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((entry) => newestMtime(join(path, entry))));
  return Math.max(info.mtimeMs, ...times);
}

export async function rendererIsStale(root = PROJECT_ROOT): Promise<boolean> {
  const built = await stat(join(rendererOutDir(root), 'index.html')).catch(() => null);
  if (!built) return true;
  const sourceTimes = await Promise.all(rendererSources(root).map(newestMtime));
  return Math.max(...sourceTimes) > built.mtimeMs;
}

export async function buildRenderer(root = PROJECT_ROOT): Promise<void> {
  if (!existsSync(join(root, 'src-renderer/index.html'))) {
    throw new Error(`Cannot build the renderer: ${join(root, 'src-renderer/index.html')} does not exist`);
  }
  const { build } = await import('vite');
  // The same renderer settings electron-vite uses, from the one config file.
  const config = (await import(pathToFileURL(join(root, 'electron.vite.config.ts')).href)) as {
    rendererConfig: import('vite').InlineConfig;
  };
  // Build beside the live directory and swap it in, so a host serving out/renderer (another test
  // worker, say) never sees a half-written build.
  const staging = join(root, 'out', `.renderer-build-${process.pid}-${Date.now()}`);
  const previous = `${staging}-previous`;
  await build({ ...config.rendererConfig, configFile: false, logLevel: 'warn', build: { ...config.rendererConfig.build, outDir: staging, emptyOutDir: true } });
  const live = rendererOutDir(root);
  await rename(live, previous).catch(() => undefined);
  // Another process may have swapped in its (equally fresh) build first; then ours is dropped.
  await rename(staging, live).catch(() => rm(staging, { recursive: true, force: true }));
  await rm(previous, { recursive: true, force: true });
}

/** Returns the renderer directory, building it first when needed. Progress goes to stderr. */
export async function ensureRendererBuilt(root = PROJECT_ROOT): Promise<string> {
  if (await rendererIsStale(root)) {
    console.error('[serve] building the renderer (out/renderer is missing or older than its sources)...');
    const started = Date.now();
    await buildRenderer(root);
    console.error(`[serve] renderer built in ${Date.now() - started} ms`);
  }
  return rendererOutDir(root);
}
