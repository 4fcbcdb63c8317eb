/**
 * Vitest global setup: the tests of the built bundles (main.bundle.test.ts, preload.bundle.test.ts,
 * bundle-imports.test.ts) read out/, so it is built once, before any worker starts, when missing
 * or stale. On a clean clone this is the first build.
 */
import { ensureAppBuilt } from '../../shared/app-build';

export default async function setup(): Promise<void> {
  await ensureAppBuilt();
}
