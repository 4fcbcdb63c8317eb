/**
 * A short, readable id. Time-ordered UUIDs (v7) share their first characters between jobs made
 * close together, so the distinctive end of the id is shown.
 */
export function shortId(id: string): string {
  return id.length <= 8 ? id : id.slice(-8);
}
