/**
 * The central capability registry (§11.1, HSK-4001). Every capability id used anywhere is listed
 * here; asking about any other id is a programming or policy error, refused with HSK-4001.
 */
import { HskError, ERROR_CODES } from '../../src-shared/errors';

export const CAPABILITY_IDS = [
  'doc.read',
  'doc.write',
  'doc.summarize',
  'model.call',
  'terminal.exec',
  'export.debug_bundle',
  'export.governance_pack',
  'fr.read',
  'jobs.read',
  'diagnostics.read',
  'fs.read',
  'fs.write',
] as const;
export type CapabilityId = (typeof CAPABILITY_IDS)[number];

const known: ReadonlySet<string> = new Set(CAPABILITY_IDS);

export function isCapabilityId(value: string): value is CapabilityId {
  return known.has(value);
}

/** Throws HSK-4001 (UnknownCapability) for an id that is not in the registry. */
export function assertCapabilityId(value: string): CapabilityId {
  if (!isCapabilityId(value)) {
    throw new HskError(ERROR_CODES.unknownCapability, `HSK-4001: unknown capability ${JSON.stringify(value.slice(0, 64))}`, {
      capability_id: value,
    });
  }
  return value;
}
