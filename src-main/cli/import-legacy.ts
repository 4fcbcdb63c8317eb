/**
 * npm run import-legacy -- --from OLD.db --data-dir DIR
 * Imports a database written by the original Handshake into DIR/handshake.db and prints the report
 * (also written to DIR/legacy-import-<time>.json).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isHskError } from '../../src-shared/errors';
import { acquireDataDirLock } from '../core/lock';
import { importLegacyDatabase } from '../legacy/import-legacy';
import { Store } from '../store/store';
import { progressBar } from './progress';

function main(): number {
  const { values } = parseArgs({
    options: { from: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean' } },
  });
  const dataDir = values['data-dir'] ?? process.env.HANDSHAKE_DATA_DIR;
  if (values.help || !values.from || !dataDir) {
    console.log('usage: npm run import-legacy -- --from OLD.db --data-dir DIR');
    return values.help ? 0 : 2;
  }
  const lock = acquireDataDirLock(dataDir);
  const store = Store.open(dataDir);
  try {
    const progress = progressBar('importing legacy rows', 1);
    const report = importLegacyDatabase(store, path.resolve(values.from), (done, total) => progress.update(done, total));
    progress.stop();
    const reportPath = path.join(dataDir, `legacy-import-${new Date().toISOString().replaceAll(':', '-')}.json`);
    fs.writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
    console.log(
      `imported ${report.jobs_imported} of ${report.jobs_seen} jobs (${report.jobs_already_present} already present, ` +
        `${report.jobs_quarantined} quarantined), ${report.runs_imported} runs, ${report.nodes_imported} node executions; ` +
        `${report.changes.length} normalisations. Full report: ${reportPath}`,
    );
    for (const item of report.quarantined) console.log(`  quarantined ${item.table} ${item.legacy_id ?? '?'}: ${item.reason}`);
    return 0;
  } finally {
    store.close();
    lock.release();
  }
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(isHskError(error) ? `${error.code}: ${error.message}` : error);
  process.exitCode = 1;
}
