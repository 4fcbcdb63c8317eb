import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StatementCache } from './statement-cache';

describe('StatementCache', () => {
  it('prepares each SQL text once and reuses it', () => {
    const db = new Database(':memory:');
    const cache = new StatementCache(db);
    expect(cache.get('SELECT 1')).toBe(cache.get('SELECT 1'));
    expect(cache.get('SELECT 2')).not.toBe(cache.get('SELECT 1'));
    db.close();
  });

  it('drops the least recently used statement past its capacity', () => {
    const db = new Database(':memory:');
    const cache = new StatementCache(db, 2);
    const one = cache.get('SELECT 1');
    const two = cache.get('SELECT 2');
    cache.get('SELECT 1');
    cache.get('SELECT 3');
    expect(cache.get('SELECT 1')).toBe(one);
    expect(cache.get('SELECT 2')).not.toBe(two);
    db.close();
  });
});
