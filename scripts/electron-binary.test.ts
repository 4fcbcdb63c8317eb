import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../src-main/testing/temp-dir';
import { electronPlatformPath, findElectronPackage, installedElectronBinary, type ElectronPackage } from './electron-binary';

/** A fake node_modules/electron, optionally with what install-electron leaves behind. */
function fakeElectronPackage(installed: { distVersion?: string; pathTxt?: string; binary?: boolean } = {}): ElectronPackage {
  const dir = makeTempDir('hsk-electron-pkg-');
  if (installed.distVersion !== undefined) {
    mkdirSync(join(dir, 'dist'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'version'), installed.distVersion);
  }
  if (installed.pathTxt !== undefined) writeFileSync(join(dir, 'path.txt'), installed.pathTxt);
  if (installed.binary) {
    writeFileSync(join(dir, 'dist', 'electron'), '#!/bin/sh\n');
    chmodSync(join(dir, 'dist', 'electron'), 0o755);
  }
  return { dir, version: '45.4.1' };
}

describe('electronPlatformPath', () => {
  it('names the executable install-electron extracts on each platform', () => {
    expect(electronPlatformPath('linux')).toBe('electron');
    expect(electronPlatformPath('win32')).toBe('electron.exe');
    expect(electronPlatformPath('darwin')).toBe('Electron.app/Contents/MacOS/Electron');
    expect(electronPlatformPath('aix')).toBeNull();
  });
});

describe('installedElectronBinary', () => {
  it('finds a binary installed for this version', () => {
    const pkg = fakeElectronPackage({ distVersion: 'v45.4.1', pathTxt: 'electron', binary: true });
    expect(installedElectronBinary(pkg, {}, 'linux')).toBe(join(pkg.dir, 'dist', 'electron'));
  });

  it('is null for a fresh install (no dist, no path.txt: Electron 45 downloads on first use)', () => {
    expect(installedElectronBinary(fakeElectronPackage(), {}, 'linux')).toBeNull();
  });

  it('is null for a binary of another version, a missing path.txt or a missing executable', () => {
    expect(installedElectronBinary(fakeElectronPackage({ distVersion: '44.0.0', pathTxt: 'electron', binary: true }), {}, 'linux')).toBeNull();
    expect(installedElectronBinary(fakeElectronPackage({ distVersion: '45.4.1', binary: true }), {}, 'linux')).toBeNull();
    expect(installedElectronBinary(fakeElectronPackage({ distVersion: '45.4.1', pathTxt: 'electron' }), {}, 'linux')).toBeNull();
  });

  it('looks in ELECTRON_OVERRIDE_DIST_PATH instead of dist when it is set', () => {
    const pkg = fakeElectronPackage({ distVersion: '45.4.1', pathTxt: 'electron', binary: true });
    const empty = makeTempDir('hsk-electron-override-');
    expect(installedElectronBinary(pkg, { ELECTRON_OVERRIDE_DIST_PATH: empty }, 'linux')).toBeNull();
    expect(installedElectronBinary(pkg, { ELECTRON_OVERRIDE_DIST_PATH: join(pkg.dir, 'dist') }, 'linux')).toBe(join(pkg.dir, 'dist', 'electron'));
  });
});

describe('findElectronPackage', () => {
  it('finds the project\'s electron package and its version', () => {
    expect(findElectronPackage()).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('is null where no electron package can be resolved', () => {
    expect(findElectronPackage(tmpdir())).toBeNull();
  });
});
