/**
 * A short, readable id: the first 8 characters of a UUID's last group. Time-ordered UUIDs (v7)
 * share their first characters between jobs made close together; the last group is random. Being
 * the start of a group, it is also a prefix of a word the full-text index holds, so any prefix of
 * the short id finds the record with an ordinary search.
 */
export function shortId(id: string): string {
  const groups = id.split('-');
  if (groups.length !== 5) return id.length <= 8 ? id : id.slice(-8);
  return groups[4]!.slice(0, 8);
}
