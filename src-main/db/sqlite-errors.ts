/**
 * SQLite refusing work because this connection or another holds the database (a lock, an open
 * transaction, a statement still being read): the work can be tried again later.
 */
export function isBusyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}
