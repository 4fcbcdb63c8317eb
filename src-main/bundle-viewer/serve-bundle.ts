/**
 * Serving an opened bundle: the same browser host (loopback, token, Host/Origin checks, CSP) over
 * a BundleCore. `npm run serve -- --bundle FILE.zip` serves one; a live browser host serves one
 * more for each bundle opened from its UI ("Open bundle"), each on its own port and token.
 */
import type { BundleViewLauncher } from '../core/types';
import { startHttpHost, type HttpHost } from '../hosts/browser/http-host';
import { openBundleCore, type BundleCore } from './bundle-core';

export interface BundleHost {
  core: BundleCore;
  host: HttpHost;
  close(): Promise<void>;
}

export async function startBundleHost(options: { bytes: Uint8Array; fileName: string; version: string; rendererDir: string; port?: number }): Promise<BundleHost> {
  const core = openBundleCore(options.bytes, options.fileName, options.version);
  const host = await startHttpHost({ core, rendererDir: options.rendererDir, port: options.port ?? 0 });
  return {
    core,
    host,
    async close() {
      await host.close();
      await core.close('stop');
    },
  };
}

/** Bundle views one live host keeps open; opening one more closes the oldest (its tab stops answering). */
export const MAX_OPEN_BUNDLE_VIEWS = 8;

/** A launcher for the live host, the origins of the views it has open, and a way to close them all. */
export function bundleViewLauncher(
  rendererDir: string,
  version: string,
): { launch: BundleViewLauncher; openOrigins(): Set<string>; closeAll(): Promise<void> } {
  const open: BundleHost[] = [];
  return {
    /** Only views still open: a closed one's port may belong to something else by now. */
    openOrigins() {
      return new Set(open.map((view) => new URL(view.host.url).origin));
    },
    async launch(fileName, bytes) {
      const view = await startBundleHost({ bytes, fileName, version, rendererDir });
      open.push(view);
      if (open.length > MAX_OPEN_BUNDLE_VIEWS) await open.shift()?.close();
      return { url: view.host.url, bundle: view.core.bundle };
    },
    async closeAll() {
      await Promise.all(open.splice(0).map((view) => view.close()));
    },
  };
}
