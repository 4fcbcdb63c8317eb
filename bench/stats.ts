/** Small statistics helpers and the row shape every benchmark returns. */

export interface BenchRow {
  group: string;
  name: string;
  value?: number;
  unit?: string;
  p50_ms?: number;
  p95_ms?: number;
  raw?: number;
  raw_p50_ms?: number;
  raw_p95_ms?: number;
  /** store / raw (time), or as the note says. */
  ratio?: number;
  /** What the figure is compared with, printed beside it (the peer, the raw or plain-table ceiling). */
  compare?: string;
  n: number;
  note?: string;
  target?: { max?: number; min?: number; max_p95?: number; max_ratio?: number; min_ratio?: number };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Whether a row met its target (undefined when it has none). */
export function meetsTarget(row: BenchRow): boolean | undefined {
  const target = row.target;
  if (!target) return undefined;
  if (target.max !== undefined && row.value !== undefined && row.value > target.max) return false;
  if (target.min !== undefined && row.value !== undefined && row.value < target.min) return false;
  if (target.max_p95 !== undefined && row.p95_ms !== undefined && row.p95_ms > target.max_p95) return false;
  if (target.max_ratio !== undefined && row.ratio !== undefined && row.ratio > target.max_ratio) return false;
  if (target.min_ratio !== undefined && row.ratio !== undefined && row.ratio < target.min_ratio) return false;
  return true;
}

/** "1,234" for large figures, "1.23" for small ones. */
export function format(value: number | undefined, digits = 2): string {
  if (value === undefined || Number.isNaN(value)) return '';
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(digits);
}

/** What a target asks for, in words, for the comparison column. */
export function targetText(target: BenchRow['target']): string {
  if (!target) return '';
  const parts: string[] = [];
  if (target.min !== undefined) parts.push(`>= ${format(target.min)}`);
  if (target.max !== undefined) parts.push(`<= ${format(target.max)}`);
  if (target.max_p95 !== undefined) parts.push(`p95 < ${format(target.max_p95)} ms`);
  if (target.min_ratio !== undefined) parts.push(`ratio >= ${format(target.min_ratio)}`);
  if (target.max_ratio !== undefined) parts.push(`ratio <= ${format(target.max_ratio)}`);
  return parts.join(', ');
}
