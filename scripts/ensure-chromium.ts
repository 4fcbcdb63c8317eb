/**
 * Finds a Chromium for the Playwright browser lane, installing Debian's `chromium` when it can.
 * Order: PLAYWRIGHT_CHROMIUM_PATH, /usr/bin/chromium, Playwright's own downloaded browser.
 * Nothing here downloads from the internet: Playwright's download only works online.
 *
 * Run alone: `npx tsx scripts/ensure-chromium.ts` (prints the path it found).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const INSTALL_HINT =
  'No Chromium found for the browser lane: install Debian\'s chromium (`sudo apt-get install -y chromium`) or set PLAYWRIGHT_CHROMIUM_PATH to a Chromium/Chrome executable.';

/** The flags every lane launches Chromium with (CI containers have no sandbox, GPU or network). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function playwrightOwnChromium(): string | null {
  try {
    const path = chromium.executablePath();
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** The first Chromium that exists on this machine, or null. Never installs anything. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const override = env.PLAYWRIGHT_CHROMIUM_PATH;
  if (override) return existsSync(override) ? override : null;
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  return playwrightOwnChromium();
}

function isDebianRoot(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    return /^ID(_LIKE)?=.*debian/m.test(readFileSync('/etc/os-release', 'utf8'));
  } catch {
    return false;
  }
}

function run(command: string, args: string[]): boolean {
  console.log(`[ensure-chromium] running: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status === 0;
}

/** Finds Chromium, installing Debian's package once when running as root on Debian; throws a one-line hint otherwise. */
export function ensureChromium(): string {
  const found = findChromium();
  if (found) return found;
  if (process.env.PLAYWRIGHT_CHROMIUM_PATH) {
    throw new Error(`PLAYWRIGHT_CHROMIUM_PATH=${process.env.PLAYWRIGHT_CHROMIUM_PATH} does not exist. ${INSTALL_HINT}`);
  }
  if (isDebianRoot()) {
    console.log('[ensure-chromium] no Chromium found; installing Debian\'s chromium package (apt-get update && apt-get install -y chromium)');
    if (run('apt-get', ['update']) && run('apt-get', ['install', '-y', 'chromium'])) {
      const installed = findChromium();
      if (installed) return installed;
    }
  }
  throw new Error(INSTALL_HINT);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    console.log(ensureChromium());
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
