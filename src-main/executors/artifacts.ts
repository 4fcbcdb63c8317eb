/** Where executors keep files that are too big to inline: <dataDir>/artifacts/<job_id>/. */
import fs from 'node:fs';
import path from 'node:path';

/** The job's artifact dir, without creating it (for readers). */
export function artifactPath(dataDir: string, jobId: string): string {
  return path.join(dataDir, 'artifacts', jobId);
}

export function artifactDir(dataDir: string, jobId: string): string {
  const dir = artifactPath(dataDir, jobId);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A path relative to the data dir, as stored in events and outputs (no absolute paths leak). */
export function dataRef(dataDir: string, absolute: string): string {
  return path.relative(dataDir, absolute).split(path.sep).join('/');
}
