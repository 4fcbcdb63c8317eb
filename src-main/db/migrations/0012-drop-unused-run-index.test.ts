import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { listedIdOf } from '../../../src-shared/job';
import { Store } from '../../store/store';
import { dbOf } from '../../testing/store';
import { makeTempDir } from '../../testing/temp-dir';
import { migrate, schemaVersion } from '../migrate';
import { MIGRATIONS } from './index';
import { migration0012 } from './0012-drop-unused-run-index';

const indexesOfJobs = (db: Database.Database) =>
  db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'ai_jobs' ORDER BY name").pluck().all() as string[];

describe('migration 12 (no unused run index on ai_jobs)', () => {
  it('drops ai_jobs_workflow_run and keeps the other job indexes', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.filter((migration) => migration.version < 12));
    const before = indexesOfJobs(db);
    expect(before).toContain('ai_jobs_workflow_run');
    migrate(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(migration0012.version);
    expect(indexesOfJobs(db)).toEqual(before.filter((name) => name !== 'ai_jobs_workflow_run'));
  });

  it('still finds a job by its run id through workflow_runs, without scanning ai_jobs', () => {
    const store = Store.open(makeTempDir());
    const job = store.createJob({ job_kind: 'doc_edit', protocol_id: 'p', job_inputs: { prompt: 'x' } }, { capabilityProfileId: 'Analyst' });
    store.createJob({ job_kind: 'doc_edit', protocol_id: 'p', job_inputs: { prompt: 'y' } }, { capabilityProfileId: 'Analyst' });
    const { run } = store.startRun(job.job_id);
    expect(store.listJobs({ workflow_run_id: run.workflow_run_id }).items.map(listedIdOf)).toEqual([job.job_id]);
    const plan = (dbOf(store).prepare(`EXPLAIN QUERY PLAN SELECT j.rowid FROM ai_jobs j
      WHERE j.job_id IN (SELECT job_id FROM workflow_runs WHERE workflow_run_id = ?)`).all(run.workflow_run_id) as Array<{ detail: string }>)
      .map((row) => row.detail);
    expect(plan.filter((step) => /^SCAN (j|ai_jobs)\b/.test(step)), plan.join(' | ')).toEqual([]);
    store.close();
  });
});
