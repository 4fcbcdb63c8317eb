/**
 * Size on disk, indexes included, from SQLite's dbstat: bytes per job (the job row, its run, its
 * share of the search index, and every index on them) and bytes per Flight Recorder event.
 */
import Database from 'better-sqlite3';
import { databasePath } from '../src-main/db/open';
import type { BenchRow } from './stats';

const JOB_TABLES = ['ai_jobs', 'workflow_runs', 'workflow_node_executions', 'job_search_key', 'job_search_pending'];

function bytesOf(db: Database.Database, belongs: (table: string, name: string) => boolean): number {
  const rows = db
    .prepare(`SELECT d.name, coalesce(m.tbl_name, d.name) AS tbl, sum(d.pgsize) AS bytes FROM dbstat d
      LEFT JOIN sqlite_master m ON m.name = d.name GROUP BY d.name`)
    .all() as { name: string; tbl: string; bytes: number }[];
  return rows.filter((row) => belongs(row.tbl, row.name)).reduce((sum, row) => sum + row.bytes, 0);
}

export function sizeRows(dataDir: string, label: string): BenchRow[] {
  const db = new Database(databasePath(dataDir), { readonly: true });
  try {
    const jobs = db.prepare('SELECT count(*) FROM ai_jobs').pluck().get() as number;
    const events = db.prepare('SELECT count(*) FROM fr_events').pluck().get() as number;
    const jobBytes = bytesOf(db, (table, name) => JOB_TABLES.includes(table) || name.startsWith('job_search'));
    const eventBytes = bytesOf(db, (table) => table === 'fr_events');
    const rows: BenchRow[] = [];
    if (jobs > 100) {
      rows.push({ group: 'size', name: `bytes per job, with its run and search entry, indexes included (${label})`, value: jobBytes / jobs, unit: 'B', n: jobs, note: 'dbstat page bytes of ai_jobs, workflow_runs, node executions, the search index and their indexes / jobs; events counted apart', target: { max: 3_000 } });
    }
    if (events > 100) {
      rows.push({ group: 'size', name: `bytes per Flight Recorder event, indexes included (${label})`, value: eventBytes / events, unit: 'B', n: events, note: 'dbstat page bytes of fr_events and its indexes / events', target: { max: 300 } });
    }
    return rows;
  } finally {
    db.close();
  }
}
