import type Database from 'better-sqlite3';

/** One step of the schema's history. Its SQL is literal and never edited once released. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}
