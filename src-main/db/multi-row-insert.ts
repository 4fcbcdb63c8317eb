/**
 * A set-based INSERT for batches: rows go in as `INSERT ... VALUES (...), (...), ...` of up to
 * `chunkRows` rows per statement, so SQLite starts one statement per chunk rather than one per
 * row. One prepared statement per chunk size (the full chunk, and each remainder size met).
 * Constraints and triggers fire per row, exactly as for single-row inserts.
 */
import type Database from 'better-sqlite3';

/** Well under SQLite's limit of 32,766 bound parameters for the widest table (31 columns). */
const DEFAULT_CHUNK_ROWS = 64;

export class MultiRowInsert {
  private readonly statements = new Map<number, Database.Statement>();
  private readonly rowSql: string;

  constructor(
    private readonly db: Database.Database,
    private readonly table: string,
    private readonly columns: readonly string[],
    private readonly chunkRows = DEFAULT_CHUNK_ROWS,
  ) {
    this.rowSql = `(${columns.map(() => '?').join(', ')})`;
  }

  /**
   * Inserts `rows` (each its values in column order) in the caller's transaction, in order, and
   * returns the rowid of the last row inserted (rows of one statement get consecutive rowids).
   */
  run(rows: readonly (readonly unknown[])[]): number {
    let lastRowid = 0;
    for (let from = 0; from < rows.length; from += this.chunkRows) {
      const chunk = rows.slice(from, from + this.chunkRows);
      const values: unknown[] = [];
      for (const row of chunk) {
        if (row.length !== this.columns.length) throw new Error(`${this.table}: a row has ${row.length} values for ${this.columns.length} columns`);
        for (const value of row) values.push(value);
      }
      lastRowid = Number(this.statement(chunk.length).run(values).lastInsertRowid);
    }
    return lastRowid;
  }

  private statement(rows: number): Database.Statement {
    let statement = this.statements.get(rows);
    if (!statement) {
      statement = this.db.prepare(
        `INSERT INTO ${this.table} (${this.columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => this.rowSql).join(', ')}`,
      );
      this.statements.set(rows, statement);
    }
    return statement;
  }
}
