import { afterEach, describe, expect, it } from 'vitest';
import { openCore } from '../core/open-core';
import type { HandshakeCore } from '../core/types';
import Database from 'better-sqlite3';
import { databasePath } from '../db/open';
import { makeTempDir } from '../testing/temp-dir';
import { VALID_INPUTS } from '../testing/valid-inputs';
import { NewJobSchema } from '../../src-shared/job';

let core: HandshakeCore | null = null;
afterEach(async () => {
  await core?.close('test');
  core = null;
});

describe('jobs.count with a text filter while the search index is behind', () => {
  it('says how many jobs it could not count yet, as the list does; with no backlog it says nothing', async () => {
    const dataDir = makeTempDir();
    core = await openCore({ dataDir, host: 'browser', version: 'test', startEngine: false });
    await core.recoveryDone;
    await core.handlers['jobs.create'](NewJobSchema.parse(VALID_INPUTS['jobs.create']));
    expect(await core.handlers['jobs.count']({ text: 'Summarise' })).not.toHaveProperty('search_index_lag');
    // A bulk import's backlog, larger than a read catches up itself (rowids no job holds).
    const db = new Database(databasePath(dataDir));
    db.prepare(`WITH RECURSIVE n(i) AS (SELECT 1000000 UNION ALL SELECT i + 1 FROM n WHERE i < 1003000)
      INSERT INTO job_search_pending (job_rowid) SELECT i FROM n`).run();
    db.close();
    const counted = await core.handlers['jobs.count']({ text: 'Summarise' });
    const listed = await core.handlers['jobs.list']({ text: 'Summarise' });
    expect(counted.search_index_lag).toBeGreaterThan(2_000);
    expect(counted.search_index_lag).toBe(listed.search_index_lag);
  });
});
