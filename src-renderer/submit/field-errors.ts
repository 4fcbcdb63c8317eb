/**
 * Where to show an error: API error envelopes carry `details` in a few shapes (zod issues with a
 * path, a single `field`, a map of fields). Anything that names no known field stays general.
 */
export type FieldErrors = Partial<Record<string, string>>;

interface Issue {
  path?: unknown;
  field?: unknown;
  message?: unknown;
}

function firstKey(path: unknown): string | null {
  if (Array.isArray(path) && path.length > 0) return String(path[0]);
  if (typeof path === 'string' && path.length > 0) return path.split(/[.[]/)[0] || null;
  return null;
}

function fromIssue(issue: Issue, fallback: string, out: FieldErrors): boolean {
  const field = firstKey(issue.path) ?? firstKey(issue.field);
  if (!field) return false;
  out[field] = typeof issue.message === 'string' ? issue.message : fallback;
  return true;
}

export function fieldErrorsFromDetails(details: unknown, message: string): FieldErrors {
  const out: FieldErrors = {};
  if (typeof details !== 'object' || details === null) return out;
  if (Array.isArray(details)) {
    for (const issue of details) if (typeof issue === 'object' && issue !== null) fromIssue(issue as Issue, message, out);
    return out;
  }
  const body = details as { issues?: unknown; fields?: unknown; field?: unknown; path?: unknown; reason?: unknown };
  if (Array.isArray(body.issues)) return { ...fieldErrorsFromDetails(body.issues, message), ...out };
  if (typeof body.fields === 'object' && body.fields !== null) {
    for (const [field, text] of Object.entries(body.fields)) out[field] = typeof text === 'string' ? text : message;
    return out;
  }
  fromIssue({ path: body.path, field: body.field, message: typeof body.reason === 'string' ? body.reason : message }, message, out);
  return out;
}
