/**
 * `npm run serve`: the browser host's composition root. Builds the renderer if needed, opens the
 * core (lock, migrate, recover, open the job gate), serves it on 127.0.0.1, and stops cleanly on
 * Ctrl-C / SIGTERM. Stdout carries exactly one line, the address; everything else goes to stderr.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isHskError } from '../../src-shared/errors';
import { openCore } from '../core/open-core';
import type { HandshakeCore } from '../core/types';
import { startHttpHost, type HttpHost } from '../hosts/browser/http-host';
import { ensureRendererBuilt, PROJECT_ROOT } from '../hosts/shared/renderer-build';
import { parseServeArgs, serveUsage, type ServeOptions } from './args';

function appVersion(): string {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function stopOnSignals(core: HandshakeCore, host: HttpHost): void {
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

async function serve(options: ServeOptions): Promise<void> {
  const rendererDir = await ensureRendererBuilt();
  const core = await openCore({
    dataDir: options.dataDir,
    host: 'browser',
    version: appVersion(),
    modelRuntime: options.modelRuntime,
    retentionDays: options.retentionDays,
    ollama: options.ollama,
    allowTerminal: options.allowTerminal,
  });
  const host = await startHttpHost({ core, rendererDir, port: options.port });
  stopOnSignals(core, host);
  console.error(`[serve] data dir: ${core.dataDir}`);
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
