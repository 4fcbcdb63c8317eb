/**
 * Where the Electron binary is, without ever downloading it. Not `require('electron')`: since
 * Electron 45 that call downloads a missing binary (electron/electron#49328), which hangs or fails
 * on an offline machine. The rules mirror the electron package's own install.js and index.js.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ElectronPackage {
  dir: string;
  version: string;
}

/** The binary's path inside Electron's dist folder, per platform (install.js getPlatformPath). */
export function electronPlatformPath(platform: string): string | null {
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd') return 'electron';
  if (platform === 'win32') return 'electron.exe';
  return null;
}

/** The installed electron npm package, or null when `npm install` has not put it there. */
export function findElectronPackage(fromDir = import.meta.dirname): ElectronPackage | null {
  try {
    const manifest = createRequire(join(fromDir, 'noop.js')).resolve('electron/package.json');
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    return { dir: dirname(manifest), version };
  } catch {
    return null;
  }
}

function readTrimmed(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Where the binary lives: the package's dist, or ELECTRON_OVERRIDE_DIST_PATH (as in index.js). */
export function electronDistDir(pkg: ElectronPackage, env: NodeJS.ProcessEnv = process.env): string {
  return env.ELECTRON_OVERRIDE_DIST_PATH || join(pkg.dir, 'dist');
}

/**
 * The binary of `pkg` if it is installed for this version: dist/version matches the package and
 * the executable exists (an ELECTRON_OVERRIDE_DIST_PATH is taken as it is). Else null.
 */
export function installedElectronBinary(pkg: ElectronPackage, env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): string | null {
  const platformPath = electronPlatformPath(platform);
  if (!platformPath) return null;
  const dist = electronDistDir(pkg, env);
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = join(dist, platformPath);
    return existsSync(binary) ? binary : null;
  }
  if (readTrimmed(join(dist, 'version'))?.replace(/^v/, '') !== pkg.version) return null;
  if (readTrimmed(join(pkg.dir, 'path.txt')) !== platformPath) return null;
  const binary = join(dist, platformPath);
  return existsSync(binary) ? binary : null;
}

/** The Electron binary this project would run, or null when it is not (yet) downloaded. */
export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  const pkg = findElectronPackage();
  return pkg ? installedElectronBinary(pkg, env) : null;
}
