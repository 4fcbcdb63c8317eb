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
/**
 * And at most this much text (UTF-16 code units): a row's inputs and outputs may hold 256 KiB
 * each, and 1,024 such rows would keep half a gigabyte alive.
 */
const TEXT_BUDGET = 16 * 1024 * 1024;

/** The text a row holds, in UTF-16 code units: what remembering it keeps alive, roughly. */
function textOf(row: JobRow): number {
  let units = 0;
  for (const value of Object.values(row)) if (typeof value === 'string') units += value.length;
  return units;
}

export class WrittenRows {
  private readonly rows = new Map<string, { row: JobRow; text: number }>();
  private text = 0;

  constructor(
    private readonly capacity = CAPACITY,
    private readonly textBudget = TEXT_BUDGET,
  ) {}

  /** Records `row` as the valid content of its job's row (just written from checked values, or parsed). */
  remember(row: JobRow): void {
    this.forget(row.job_id);
    const text = textOf(row);
    if (text > this.textBudget) return;
    this.rows.set(row.job_id, { row, text });
    this.text += text;
    while (this.rows.size > this.capacity || this.text > this.textBudget) this.forget(this.rows.keys().next().value!);
  }

  forget(jobId: string): void {
    const known = this.rows.get(jobId);
    if (!known) return;
    this.rows.delete(jobId);
    this.text -= known.text;
  }

  /**
   * After a write turned `before` into `after` (checked values in the changed columns): `after`
   * is known valid if `before` was; otherwise nothing is known of the job until its row is parsed.
   */
  changed(before: JobRow, after: JobRow): void {
    if (this.matches(before)) this.remember(after);
    else this.forget(before.job_id);
  }

  /** Whether `row`, as read, holds exactly the values remembered for its job, in every column. */
  matches(row: JobRow): boolean {
    const known = this.rows.get(row.job_id)?.row;
    if (!known) return false;
    if (known === row) return true;
    for (const column in row) {
      if (row[column as keyof JobRow] !== known[column as keyof JobRow]) return false;
    }
    return true;
  }

  /** Whether `row` is the very record remembered for its job (the product of a change to a matching row). */
  isRemembered(row: JobRow): boolean {
    return this.rows.get(row.job_id)?.row === row;
  }
}
