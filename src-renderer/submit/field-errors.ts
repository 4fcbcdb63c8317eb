/**
 * Where to show an input error: the envelope's `details.issues` (the shared InputIssue shape)
 * name a path; its first segment is the form field. Issues that name no field stay general.
 */
import { issuesOfDetails, type InputIssue } from '../../src-shared/errors';

export type FieldErrors = Partial<Record<string, string>>;

/** The form field an issue path belongs to: `entity_refs[0].entity_id` -> `entity_refs`. */
function fieldOf(path: string): string | null {
  if (path === '' || path === '(root)') return null;
  return path.split(/[.[]/)[0] || null;
}

/** The first message per field; issues about the whole input go under `rootField` when given. */
export function fieldErrorsFromIssues(issues: readonly InputIssue[], rootField?: string): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const field = fieldOf(issue.path) ?? rootField;
    if (field && out[field] === undefined) out[field] = issue.message;
  }
  return out;
}

export function fieldErrorsFromDetails(details: unknown): FieldErrors {
  return fieldErrorsFromIssues(issuesOfDetails(details));
}
