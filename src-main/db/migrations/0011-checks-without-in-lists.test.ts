import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { zeroMetrics } from '../../../src-shared/job';
import { migrate, schemaVersion } from '../migrate';
import { MIGRATIONS } from './index';
import { replaceInStoredDefinition } from '../../testing/schema-edit';
import { IN_LISTS_AT_VERSION_10, KEPT_AS_WRITTEN, migration0011, withoutInLists } from './0011-checks-without-in-lists';

function databaseAt(version: number): Database.Database {
  const db = new Database(':memory:');
  migrate(db, MIGRATIONS.filter((migration) => migration.version <= version));
  return db;
}

/** Every constant IN list in a database's tables and triggers: the object, its subject and the list as written. */
function listsOf(db: Database.Database): Array<{ object: string; subject: string; predicate: string; values: string[] }> {
  const objects = db.prepare("SELECT name, sql FROM sqlite_schema WHERE sql LIKE '% IN (%' ORDER BY name").all() as Array<{ name: string; sql: string }>;
  return objects.flatMap(({ name, sql }) =>
    [...sql.matchAll(/((?:new\.)?[a-z_]+(?: -> '\$\.[a-z_]+')?) IN \(((?:\s*'[^']*'\s*,?)+)\)/g)].map((match) => ({
      object: name,
      subject: match[1]!,
      predicate: match[0],
      values: match[2]!.match(/'[^']*'/g)!.map((literal) => literal.slice(1, -1)),
    })),
  );
}

function listsAtVersion10(): ReturnType<typeof listsOf> {
  const db = databaseAt(10);
  const lists = listsOf(db);
  db.close();
  return lists;
}

/** Layer arrays: every array of up to four elements from a set of good and bad ones, and odd texts. */
function layerArrays(): string[] {
  const elements = ['"raw"', '"derived"', '"display"', 'null', '"other"', '"RAW"', '1', 'true', '[]', '"raw|derived"', '"raw\\""', '"\\"raw"'];
  const arrays = ['[]'];
  let level = [''];
  for (let length = 1; length <= 4; length += 1) {
    level = level.flatMap((prefix) => elements.map((element) => (prefix ? `${prefix},${element}` : element)));
    // All of length 1-2, and a spread of the longer ones (every 7th), so the corpus stays small.
    arrays.push(...level.filter((_, i) => length <= 2 || i % 7 === 0).map((items) => `[${items}]`));
  }
  return [...arrays, '[ "raw" , "derived" ]', '"[]"', '"raw"', '"[\\"raw\\"]"', '{}', '5', 'null', '"]|[\\"raw\\"]|["'];
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('migration 11 (lists as comparisons, except the vocabularies ARCHITECTURE.md names)', () => {
  it('rewrites each list to an expression with the same value as the list for every input, NULL included', () => {
    const db = new Database(':memory:');
    const lists = listsAtVersion10();
    expect(lists).toHaveLength(Object.values(IN_LISTS_AT_VERSION_10).reduce((sum, n) => sum + n, 0));
    const disagreements: string[] = [];
    let checked = 0;
    for (const { object, subject, predicate, values } of lists) {
      expect(withoutInLists(predicate).sql, predicate).not.toMatch(/ IN \(/);
      // The same list over a bound value: the column itself, or the JSON the path is read from.
      const path = subject.includes('->') ? subject.slice(subject.indexOf('->')) : '';
      const list = `zz_value ${path} IN (${values.map((value) => `'${value}'`).join(', ')})`.replace('  ', ' ');
      const bind = (expression: string) => expression.replaceAll('zz_value', '@value');
      const same = db.prepare(`SELECT (${bind(list)}) IS (${bind(withoutInLists(list).sql)})`).pluck();
      const inputs: Array<string | null> = subject.includes('->')
        ? layerArrays().flatMap((array) => [`{"read":${array},"write":${array}}`, `{"read":${array}}`]).filter(isJson)
        : [...values, ...values.map((value) => value.toUpperCase()), ...values.map((value) => ` ${value}`), ...values.map((value) => `${value}x`), '', 'x', null];
      for (const value of inputs) {
        checked += 1;
        if (same.get({ value }) !== 1) disagreements.push(`${object}: ${predicate.slice(0, 60)}... on ${value}`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(checked).toBeGreaterThan(1_000);
    db.close();
  });

  it('edits the definitions in place: rows kept, only the named vocabularies left as IN lists, every list still refusing outside its values, the file intact', () => {
    const db = databaseAt(10);
    const job = (id: string, overrides: Record<string, unknown> = {}) =>
      db.prepare(`INSERT INTO ai_jobs (job_id, trace_id, job_kind, status, status_reason, protocol_id, profile_id, capability_profile_id,
        access_mode, safety_mode, metrics, layer_scope, created_at, updated_at, flight_recorder_span_id, consent_decision, consent_source)
        VALUES (@id, @id, @job_kind, 'queued', 'queued', 'p', 'default', 'Analyst', 'analysis_only', 'normal', @metrics, @layer_scope, 1, 1, @id,
        @consent, @consent_source)`)
        .run({ id, job_kind: 'doc_edit', metrics: JSON.stringify(zeroMetrics()), layer_scope: '{"read":["raw"],"write":["derived"]}', consent: 'not_required', consent_source: null, ...overrides });
    const event = (id: string, type: string) =>
      db.prepare(`INSERT INTO fr_events (event_id, type, timestamp, actor, actor_id, trace_id, payload) VALUES (?, ?, 1, 'system', 'x', ?, '{}')`).run(id, type, id);
    job('01900000-0000-7000-8000-000000000001');
    event('01900000-0000-7000-8000-000000000002', 'app_started');
    const before = listsOf(db);
    migrate(db);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(migration0011.version);
    // Left: exactly the lists ARCHITECTURE.md names, as version 10 wrote them; every other list is gone.
    const left = listsOf(db).map(({ object, predicate }) => `${object}: ${predicate}`);
    const kept = before.filter(({ object, subject }) => KEPT_AS_WRITTEN[object]?.includes(subject)).map(({ object, predicate }) => `${object}: ${predicate}`);
    expect(left).toEqual(kept);
    expect(kept.map((entry) => entry.split(' IN ')[0])).toEqual([
      'ai_jobs: job_kind', 'ai_jobs: status', 'ai_jobs: access_mode', 'ai_jobs: safety_mode', 'ai_jobs: execution_mode', 'diagnostics: actor', 'fr_events: actor',
    ]);
    expect(db.prepare('SELECT count(*) FROM ai_jobs').pluck().get()).toBe(1);
    expect(db.prepare('SELECT count(*) FROM fr_events').pluck().get()).toBe(1);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const refusal = (write: () => unknown) => {
      try {
        write();
        return 'accepted';
      } catch (error) {
        return (error as { code?: string }).code;
      }
    };
    expect(refusal(() => job('01900000-0000-7000-8000-000000000003', { job_kind: 'term_exec' }))).toBe('SQLITE_CONSTRAINT_CHECK');
    expect(refusal(() => event('01900000-0000-7000-8000-000000000004', 'job_exploded'))).toBe('SQLITE_CONSTRAINT_CHECK');
    expect(refusal(() => job('01900000-0000-7000-8000-000000000007', { layer_scope: '{"read":["raw","other"],"write":[]}' }))).toBe('SQLITE_CONSTRAINT_CHECK');
    expect(refusal(() => job('01900000-0000-7000-8000-000000000008', { layer_scope: '{"read":["display",null],"write":[]}' }))).toBe('accepted');
    expect(refusal(() => db.prepare("UPDATE ai_jobs SET status = 'sleeping'").run())).toBe('SQLITE_CONSTRAINT_CHECK');
    // The consent trigger's list, rewritten too: an undecided consent naming a source is still refused.
    expect(refusal(() => job('01900000-0000-7000-8000-000000000005', { consent: 'pending', consent_source: 'operator' }))).not.toBe('accepted');
    expect(refusal(() => job('01900000-0000-7000-8000-000000000006', { job_kind: 'terminal_exec' }))).toBe('accepted');
    // Defensive mode is back on.
    expect(() => db.prepare("UPDATE sqlite_schema SET sql = sql WHERE name = 'ai_jobs'").run()).toThrow();
  });

  it('refuses a definition whose lists it does not recognise, and leaves the database at version 10', () => {
    const db = databaseAt(10);
    replaceInStoredDefinition(db, 'workflow_runs', 'CHECK (attempt >= 1)', "CHECK (attempt >= 1 AND attempt IN ('1', '2', '3'))");
    expect(() => migrate(db)).toThrow(/workflow_runs holds 2 IN lists where version 10 wrote 1/);
    expect(schemaVersion(db)).toBe(10);
    expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'ai_jobs'").pluck().get()).toMatch(/job_kind IN \(/);
  });
});
