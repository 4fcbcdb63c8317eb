/**
 * A WHERE clause built from optional filters, with every value bound as a named parameter (never
 * pasted into the SQL text).
 */
export class Conditions {
  private readonly clauses: string[] = [];
  readonly params: Record<string, unknown> = {};

  /** Adds `clause` with its parameters when `value` is given. */
  when<T>(value: T | undefined | null, clause: string, name: string): void {
    if (value === undefined || value === null || value === '') return;
    this.clauses.push(clause);
    this.params[name] = value;
  }

  /** Adds `column IN (@name0, @name1, ...)` when `values` is non-empty. */
  oneOf(column: string, name: string, values: readonly string[] | undefined): void {
    if (!values || values.length === 0) return;
    const names = values.map((value, index) => {
      this.params[`${name}${index}`] = value;
      return `@${name}${index}`;
    });
    this.clauses.push(`${column} IN (${names.join(', ')})`);
  }

  raw(clause: string, params: Record<string, unknown> = {}): void {
    this.clauses.push(clause);
    Object.assign(this.params, params);
  }

  /** The WHERE clause, with `extra` clauses (SQL written by the caller, never user text) ANDed on. */
  toSql(extra: readonly string[] = []): string {
    const clauses = [...this.clauses, ...extra.filter((clause) => clause !== '')];
    return clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`;
  }
}
