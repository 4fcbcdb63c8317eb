/**
 * The schema's history, oldest first. Add a migration as a new numbered file and append it here;
 * never change one that has shipped.
 */
import type { Migration } from './migration';
import { migration0001 } from './0001-initial';
import { migration0005 } from './0005-search-off-commit-path';

export type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [migration0001, migration0005];
