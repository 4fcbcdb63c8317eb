/**
 * Protocol ids with a meaning of their own in this slice. The governance pack export is a
 * workflow_run with this protocol (the legacy kind `governance_pack_export` becomes it on import).
 */
export const GOVERNANCE_PACK_PROTOCOL = 'hsk.governance_pack.export.v0';

/** The protocol of the debug bundle export job that bundles.export creates. */
export const BUNDLE_EXPORT_PROTOCOL = 'hsk.bundle.export.v0';
