/**
 * The ZIP a finished debug_bundle_export job wrote, read back for a browser download. The path is
 * derived from the export job's id under <dataDir>/bundles/, never taken from stored outputs.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ERROR_CODES, HskError } from '../../src-shared/errors';
import type { ChannelOutput } from '../../src-shared/ipc';
import type { Store } from '../store/store';

const FINISHED = new Set(['completed', 'completed_with_issues']);

export async function readExportedBundle(store: Store, dataDir: string, bundleId: string): Promise<ChannelOutput<'bundles.download'>> {
  const job = store.getJob(bundleId);
  if (job.job_kind !== 'debug_bundle_export' || !FINISHED.has(job.state)) {
    throw new HskError(ERROR_CODES.notFound, `job ${bundleId} is not a finished debug bundle export`, { job_id: bundleId, state: job.state });
  }
  const fileName = `${bundleId}.zip`;
  let data: Buffer;
  try {
    data = await readFile(path.join(dataDir, 'bundles', fileName));
  } catch {
    throw new HskError(ERROR_CODES.notFound, `the bundle file ${fileName} is no longer in the data dir`, { job_id: bundleId });
  }
  return {
    file_name: `handshake-bundle-${fileName}`,
    size_bytes: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    data_base64: data.toString('base64'),
  };
}
