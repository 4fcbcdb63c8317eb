/**
 * The rows this process has last written or parsed for the jobs it touched most recently.
 *
 * Every job row read from disk is parsed before it is served (parseJobRow), so a damaged row never
 * passes for a valid job. A state change reads its job's row, changes a few columns with values the
 * store has checked, and announces the result; in the write loop that parse took 25-40 µs, twice
 * per job. When the row read is, column for column, the row this process wrote or parsed last for
 * that job, it is known to be valid, and so is the row the change makes of it (its new values are
 * checked ones): that row is mapped without the parse (writtenJob). Any other row, changed on disk
 * by anyone, or not seen lately, is parsed as before.
 */
import type { JobRow } from './rows';

/** Enough for every job in flight; a job not seen among the last so many is simply parsed again. */
const CAPACITY = 1_024;

export class WrittenRows {
  private readonly rows = new Map<string, JobRow>();

  constructor(private readonly capacity = CAPACITY) {}

  /** Records `row` as the valid content of its job's row (just written from checked values, or parsed). */
  remember(row: JobRow): void {
    this.rows.delete(row.job_id);
    this.rows.set(row.job_id, row);
    if (this.rows.size > this.capacity) this.rows.delete(this.rows.keys().next().value!);
  }

  forget(jobId: string): void {
    this.rows.delete(jobId);
  }

  /** Whether `row`, as read, holds exactly the values remembered for its job, in every column. */
  matches(row: JobRow): boolean {
    const known = this.rows.get(row.job_id);
    if (!known) return false;
    if (known === row) return true;
    for (const column in row) {
      if (row[column as keyof JobRow] !== known[column as keyof JobRow]) return false;
    }
    return true;
  }

  /** Whether `row` is the very record remembered for its job (the product of a change to a matching row). */
  isRemembered(row: JobRow): boolean {
    return this.rows.get(row.job_id) === row;
  }
}
