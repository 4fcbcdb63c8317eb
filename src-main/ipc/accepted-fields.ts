/**
 * The field names a strict object accepts at a path of a channel's input schema, so a refusal of
 * an unknown field can name the ones that would have been accepted (`q` -> `text`, ...).
 */
import type { z } from 'zod';
import { issuesOfDetails, type InputIssue } from '../../src-shared/errors';
import { CHANNELS, type Channel, type Envelope } from '../../src-shared/ipc';

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

/** Looks through optional, nullable, default, pipe (transforms) and unions to the object or array inside. */
function unwrap(schema: z.ZodType, want: 'object' | 'array'): z.ZodType | null {
  const def = defOf(schema);
  if (def.type === want) return schema;
  const inner = def.innerType ?? def.in;
  if (inner) return unwrap(inner, want);
  for (const option of def.options ?? []) {
    const found = unwrap(option, want);
    if (found) return found;
  }
  return null;
}

export function acceptedFieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | null = schema;
  for (const segment of path) {
    if (!current) return [];
    if (typeof segment === 'number') {
      const array = unwrap(current, 'array');
      current = array ? (defOf(array).element ?? null) : null;
    } else {
      const object = unwrap(current, 'object');
      current = object ? (defOf(object).shape?.[String(segment)] ?? null) : null;
    }
  }
  const object = current ? unwrap(current, 'object') : null;
  return object ? Object.keys(defOf(object).shape ?? {}) : [];
}

/**
 * Rewrites a refusal's unknown-field issues to name the accepted fields, and says the first one in
 * the message. The reported issues are the zod issues in order, so they pair up by position.
 */
export function namingAcceptedFields(channel: Channel, error: z.ZodError, refusal: Envelope<never>): Envelope<never> {
  if (refusal.ok) return refusal;
  const reported = issuesOfDetails(refusal.error.details);
  if (reported.length === 0) return refusal;
  const issues = reported.map((issue, index): InputIssue => {
    const source = error.issues[index];
    if (source?.code !== 'unrecognized_keys') return issue;
    const accepted = acceptedFieldsAt(CHANNELS[channel].input, source.path);
    const names = source.keys.map((key) => JSON.stringify(key)).join(', ');
    const where = issue.path === '(root)' ? '' : ` in ${issue.path}`;
    const message = `unknown field${source.keys.length === 1 ? '' : 's'} ${names}${where}; accepted: ${accepted.join(', ') || '(none)'}`;
    return { ...issue, message, unknown_fields: source.keys, accepted_fields: accepted };
  });
  const unknown = issues.find((issue) => issue.unknown_fields);
  if (!unknown) return refusal;
  return { ok: false, error: { ...refusal.error, message: `${refusal.error.message}: ${unknown.message}`, details: { ...(refusal.error.details as object), issues } } };
}
