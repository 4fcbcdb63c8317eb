/**
 * The deterministic ZIP of a debug bundle (§10.5.6): entries sorted by name, fixed modification
 * times, DEFLATE level 6, no OS metadata, so the same bundle content always gives the same bytes.
 * fflate writes the archive; this module only fixes every input that could vary.
 */
import { zipSync, type Zippable } from 'fflate';

/** 1980-01-01 00:00, the earliest DOS time, read back in local time: the same bytes in every time zone. */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

export function deterministicZip(files: ReadonlyArray<{ name: string; data: Buffer }>): Buffer {
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const entries: Zippable = {};
  for (const file of sorted) {
    entries[file.name] = [new Uint8Array(file.data), { level: 6, mtime: FIXED_MTIME, os: 0, attrs: 0 }];
  }
  return Buffer.from(zipSync(entries));
}
