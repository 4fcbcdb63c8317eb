/**
 * The field names a strict object accepts at a path of a channel's input schema, so a refusal of
 * an unknown field can name the ones that would have been accepted (`q` -> `text`, ...).
 */
import type { z } from 'zod';

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
