/**
 * `npm start [-- APP FLAGS]`: the desktop app from a fresh install. It makes sure the Electron
 * binary is there (Electron's own installer, install-electron, downloads it on first use), builds
 * the app once, and runs Electron on the project folder, so package.json names the app and its
 * userData. Flags after `--` go to the app: `npm start -- --data-dir ~/jobs --model-runtime mock`.
 * Whatever stops it early prints one line saying what is missing and what to run, and exits 1.
 */
import { spawn, spawnSync } from 'node:child_process';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildApp } from '../src-main/hosts/shared/app-build';
import { PROJECT_ROOT } from '../src-main/hosts/shared/renderer-build';
import { electronDistDir, findElectronPackage, installedElectronBinary, type ElectronPackage } from './electron-binary';

/** Thrown for a reason to stop that the user can act on: printed as its one line, no stack. */
export class StartProblem extends Error {}

/**
 * npm runs scripts in the project folder; a relative --data-dir means the folder the user typed
 * it in (INIT_CWD), so it is made absolute against that.
 */
export function withAbsoluteDataDir(args: readonly string[], userCwd: string): string[] {
  const absolute = (dir: string) => (isAbsolute(dir) ? dir : resolve(userCwd, dir));
  return args.map((arg, index) => {
    if (arg.startsWith('--data-dir=')) return `--data-dir=${absolute(arg.slice('--data-dir='.length))}`;
    return args[index - 1] === '--data-dir' ? absolute(arg) : arg;
  });
}

/** Chromium's sandbox cannot run as root on Linux, and Electron then refuses to start. */
export function rootSandboxProblem(uid: number | undefined, platform: string, args: readonly string[]): string | null {
  if (platform !== 'linux' || uid !== 0 || args.includes('--no-sandbox')) return null;
  return 'Electron cannot run as root with Chromium\'s sandbox: run `npm start -- --no-sandbox` (this turns off Chromium\'s OS sandbox; context isolation and the sandboxed preload stay), or run as a normal user.';
}

/** The error line of install-electron's output (it prints a stack): its first line that is not a frame. */
export function installFailureReason(output: string): string {
  const lines = output.split('\n').map((line) => line.trim());
  return lines.find((line) => line !== '' && !line.startsWith('at ')) ?? 'no output';
}

/** Written before the download; the outcome completes the same line. */
export function downloadingElectronPrefix(pkg: ElectronPackage): string {
  return `Electron ${pkg.version} is not installed (no binary in ${electronDistDir(pkg)}); downloading it with install-electron... `;
}

export function downloadFailedMessage(reason: string): string {
  return `failed (${reason}). Connect to the internet and run \`npm start\` again (or \`npx install-electron\`); behind a mirror, set ELECTRON_MIRROR.`;
}

/** Runs the electron package's own installer (the install-electron bin) with this Node. */
function runInstallElectron(pkg: ElectronPackage): { ok: boolean; output: string } {
  const result = spawnSync(process.execPath, [join(pkg.dir, 'install.js')], { encoding: 'utf8', env: process.env });
  return { ok: result.status === 0, output: `${result.stderr ?? ''}\n${result.stdout ?? ''}\n${result.error?.message ?? ''}` };
}

/**
 * The binary, downloading it first when it is missing. Progress and outcome share one line, so a
 * failed download prints exactly one line: what is missing, why it could not be had, what to run.
 */
export function ensureElectronBinary(): string {
  const pkg = findElectronPackage();
  if (!pkg) throw new StartProblem('The electron package is not installed: run `npm install` first.');
  const installed = installedElectronBinary(pkg);
  if (installed) return installed;
  process.stderr.write(downloadingElectronPrefix(pkg));
  const install = runInstallElectron(pkg);
  const binary = install.ok ? installedElectronBinary(pkg) : null;
  if (!binary) throw new StartProblem(downloadFailedMessage(install.ok ? 'it finished but no binary is in place' : installFailureReason(install.output)));
  process.stderr.write('done.\n');
  return binary;
}

/** Runs Electron on the project folder; resolves with its exit code. Signals to this script reach it too. */
function runElectron(binary: string, args: string[]): Promise<number> {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, [PROJECT_ROOT, ...args], { stdio: 'inherit', env, windowsHide: false });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // The app quits cleanly on these (closing the core first); this script waits for it.
    process.on(signal, () => child.kill(signal));
  }
  return new Promise((resolvePromise, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolvePromise(code ?? (signal ? 1 : 0)));
  });
}

async function start(argv: readonly string[]): Promise<number> {
  const args = withAbsoluteDataDir(argv, process.env.INIT_CWD ?? process.cwd());
  const binary = ensureElectronBinary();
  const sandboxProblem = rootSandboxProblem(process.getuid?.(), process.platform, args);
  if (sandboxProblem) throw new StartProblem(sandboxProblem);
  console.error('[start] building the app (electron-vite: main, preload, renderer)...');
  await buildApp();
  return runElectron(binary, args);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  start(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof StartProblem ? error.message : error);
      process.exit(1);
    },
  );
}
