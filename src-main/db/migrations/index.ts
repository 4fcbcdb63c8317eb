/**
 * The schema's history, oldest first. Add a migration as a new numbered file and append it here;
 * never change one that has shipped.
 */
import type { Migration } from './migration';
import { migration0001 } from './0001-initial';
import { migration0004 } from './0004-diagnostics';
import { migration0005 } from './0005-executor-processes';
import { migration0006 } from './0006-job-model-fields';
import { migration0007 } from './0007-job-state-counts';
import { migration0008 } from './0008-search-off-commit-path';
import { migration0009 } from './0009-running-runs-covering';
import { migration0010 } from './0010-cheaper-job-checks';
import { migration0011 } from './0011-checks-without-in-lists';
import { migration0012 } from './0012-drop-unused-run-index';

export type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [migration0001, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009, migration0010, migration0011, migration0012];
