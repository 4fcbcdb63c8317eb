/**
 * `npm run serve`: the browser host's composition root. Builds the renderer if needed, opens the
 * core (lock, migrate, recover, open the job gate), serves it on 127.0.0.1, and stops cleanly on
 * Ctrl-C / SIGTERM. Stdout carries exactly one line, the address; everything else goes to stderr.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { isHskError } from '../../src-shared/errors';
import { bundleViewLauncher, startBundleHost } from '../bundle-viewer/serve-bundle';
import { openCore } from '../core/open-core';
import type { HandshakeCore } from '../core/types';
import { startHttpHost, type HttpHost } from '../hosts/browser/http-host';
import { liveExportOption } from '../otel/live-exporter';
import { ensureRendererBuilt } from '../hosts/shared/renderer-build';
import { appVersion } from './app-version';
import { parseServeArgs, serveUsage, type ServeOptions } from './args';

function stopOnSignals(core: Pick<HandshakeCore, 'close'>, host: Pick<HttpHost, 'close'>): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.error(`[serve] ${signal}: stopping`);
    await host.close();
    // Writes the clean-stop marker, so the next start does not treat this one as a crash.
    await core.close('signal');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** `--bundle FILE.zip`: the bundle read-only, in memory; no data dir is opened, locked or written. */
async function serveBundle(file: string, port: number): Promise<void> {
  const rendererDir = await ensureRendererBuilt();
  const view = await startBundleHost({ bytes: readFileSync(file), fileName: basename(file), version: appVersion(), rendererDir, port });
  stopOnSignals({ close: async () => {} }, view);
  const { bundle } = view.core;
  const flagged = bundle.files.filter((entry) => entry.status !== 'ok');
  console.error(`[serve] bundle ${file}: ${bundle.tampered ? `TAMPERED (${flagged.map((entry) => `${entry.path} ${entry.status}`).join(', ') || 'manifest altered'})` : 'every file matches its manifest hash'}`);
  console.log(`Handshake inspector listening at ${view.host.url}`);
}

async function serve(options: ServeOptions): Promise<void> {
  if (options.bundle) return serveBundle(options.bundle, options.port);
  const rendererDir = await ensureRendererBuilt();
  const bundleViews = bundleViewLauncher(rendererDir, appVersion());
  const core = await openCore({
    dataDir: options.dataDir,
    host: 'browser',
    version: appVersion(),
    modelRuntime: options.modelRuntime,
    retentionDays: options.retentionDays,
    ollama: options.ollama,
    ...liveExportOption(options.otlpTracesUrl),
    openBundleView: bundleViews.launch,
    allowTerminal: options.allowTerminal,
  });
  const host = await startHttpHost({ core, rendererDir, port: options.port });
  stopOnSignals(core, { close: async () => { await bundleViews.closeAll(); await host.close(); } });
  console.error(`[serve] data dir: ${core.dataDir}`);
  if (options.otlpTracesUrl) console.error(`[serve] sending finished jobs as OTLP traces to ${options.otlpTracesUrl}`);
  if (options.allowTerminal) console.error('[serve] --allow-terminal: every terminal_exec submitted to this process is consented (recorded on each job)');
  console.log(`Handshake inspector listening at ${host.url}`);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseServeArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`serve: ${(error as Error).message}\n\n${serveUsage()}`);
    process.exit(2);
  }
  if (parsed.kind === 'help') {
    console.log(serveUsage());
    return;
  }
  try {
    await serve(parsed.options);
  } catch (error) {
    // A locked data dir, a too-new database, a failed build: one clear line, non-zero exit.
    console.error(isHskError(error) ? `serve: ${error.message} (${error.code})` : `serve: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  }
}

await main();
