/**
 * Deterministic fingerprints (DIAG-SCHEMA-003, P-05): sha256 of the UTF-8 canonical JSON tuple,
 * lowercase hex. Before hashing, path separators become `/`, the title is trimmed and its `\r\n`
 * become `\n`, and absent fields become null. Timestamps, ids, job_id and the group's counters and
 * status are not part of it, so the same failure on another job or another day groups with the first.
 */
import { createHash } from 'node:crypto';
import type { DiagnosticDraft, DiagnosticLocation } from '../../src-shared/diagnostics';

function normalisePath(value: string): string {
  return value.replaceAll('\\', '/');
}

function normaliseText(value: string): string {
  return value.replaceAll('\r\n', '\n').trim();
}

/** A location's stable id (what it points at) with its range, as a tuple. */
function locationTuple(location: DiagnosticLocation): unknown[] {
  const target = location.path ?? location.uri ?? location.entity_id ?? location.wsid ?? null;
  const range = location.range;
  return [
    target === null ? null : normalisePath(target),
    range ? [range.startLine, range.startColumn, range.endLine, range.endColumn] : null,
  ];
}

export function canonicalTuple(draft: DiagnosticDraft): string {
  const locations = (draft.locations ?? []).map((location) => JSON.stringify(locationTuple(location))).sort();
  return JSON.stringify([
    draft.source,
    draft.surface,
    draft.tool ?? null,
    draft.code ?? null,
    draft.severity,
    normaliseText(draft.title),
    locations.map((location) => JSON.parse(location) as unknown),
    draft.capability_id ?? null,
    draft.policy_decision_id ?? null,
  ]);
}

export function fingerprintOf(draft: DiagnosticDraft): string {
  return fingerprintOfTuple(canonicalTuple(draft));
}

export function fingerprintOfTuple(tuple: string): string {
  return createHash('sha256').update(tuple, 'utf8').digest('hex');
}
