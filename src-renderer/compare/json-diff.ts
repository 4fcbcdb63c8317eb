/**
 * A structural JSON diff as lines to render: jsondiffpatch computes the delta (arrays matched by
 * longest common subsequence, so an inserted argv element is one addition rather than every later
 * element changed), and a formatter built on its BaseFormatter walks the delta beside the left
 * value, turning it into indented lines: unchanged, added, deleted, modified or moved.
 */
import { create, type AddedDelta, type ArrayDelta, type DeletedDelta, type ModifiedDelta, type MovedDelta, type ObjectDelta } from 'jsondiffpatch';
import BaseFormatter, { type BaseFormatterContext } from 'jsondiffpatch/formatters/base';

export type DiffLineKind = 'unchanged' | 'added' | 'deleted' | 'modified' | 'moved' | 'open' | 'close';

export interface DiffLine {
  depth: number;
  /** Property name or `[index]`; null for the root. */
  key: string | null;
  kind: DiffLineKind;
  left?: unknown;
  right?: unknown;
  /** `{`/`}` or `[`/`]` for open and close lines; the destination index for moved ones. */
  note?: string;
}

export interface DiffSummary {
  added: number;
  deleted: number;
  modified: number;
  moved: number;
}

interface LinesContext extends BaseFormatterContext {
  lines: DiffLine[];
  depth: number;
  /** Whether each open level is an array, innermost last. */
  arrays: boolean[];
  key: string | null;
}

/** Items of arrays are matched by id-like fields first, then by their whole value. */
function objectHash(item: object, index?: number): string {
  const record = item as Record<string, unknown>;
  for (const field of ['id', 'node_id', 'event_id', 'job_id', 'workflow_run_id', 'path', 'name']) {
    if (typeof record[field] === 'string') return `${field}:${record[field]}`;
  }
  return JSON.stringify(item) ?? String(index);
}

const differ = create({ objectHash, arrays: { detectMove: true, includeValueOnMove: false } });

class LinesFormatter extends BaseFormatter<LinesContext, DiffLine[]> {
  override includeMoveDestinations = false;

  /** The base class joins a string buffer; these lines are collected in the context instead. */
  override format(delta: Parameters<BaseFormatter<LinesContext, DiffLine[]>['format']>[0], left?: unknown): DiffLine[] {
    const context: Partial<LinesContext> = {};
    this.prepareContext(context);
    this.recurse(context as LinesContext, delta, left);
    return (context as LinesContext).lines;
  }

  override prepareContext(context: Partial<LinesContext>): void {
    super.prepareContext(context);
    context.lines = [];
    context.depth = 0;
    context.arrays = [];
    context.key = null;
  }

  private push(context: LinesContext, line: Omit<DiffLine, 'depth' | 'key'>): void {
    context.lines.push({ depth: context.depth, key: context.key, ...line });
  }

  rootBegin(context: LinesContext): void {
    context.key = null;
  }

  rootEnd(): void {}

  nodeBegin(context: LinesContext, key: string, leftKey: string | number | undefined): void {
    const inArray = context.arrays.at(-1) === true;
    context.key = inArray ? `[${leftKey ?? key.replace(/^_/, '')}]` : key;
  }

  nodeEnd(): void {}

  format_unchanged(context: LinesContext, _delta: undefined, left: unknown): void {
    this.push(context, { kind: 'unchanged', left, right: left });
  }

  format_movedestination(context: LinesContext, _delta: undefined, left: unknown): void {
    this.push(context, { kind: 'unchanged', left, right: left });
  }

  format_node(context: LinesContext, delta: ObjectDelta | ArrayDelta, left: unknown): void {
    const isArray = delta._t === 'a';
    this.push(context, { kind: 'open', note: isArray ? '[' : '{' });
    context.depth += 1;
    context.arrays.push(isArray);
    this.formatDeltaChildren(context, delta, left);
    context.arrays.pop();
    context.depth -= 1;
    context.key = null;
    this.push(context, { kind: 'close', note: isArray ? ']' : '}' });
  }

  format_added(context: LinesContext, delta: AddedDelta): void {
    this.push(context, { kind: 'added', right: delta[0] });
  }

  format_modified(context: LinesContext, delta: ModifiedDelta): void {
    this.push(context, { kind: 'modified', left: delta[0], right: delta[1] });
  }

  format_deleted(context: LinesContext, delta: DeletedDelta): void {
    this.push(context, { kind: 'deleted', left: delta[0] });
  }

  format_moved(context: LinesContext, delta: MovedDelta, left: unknown): void {
    this.push(context, { kind: 'moved', left, right: left, note: `[${delta[1]}]` });
  }

  format_textdiff(context: LinesContext, _delta: unknown, left: unknown): void {
    this.push(context, { kind: 'modified', left, right: '(text changed)' });
  }
}

const formatter = new LinesFormatter();

/** Lines of the structural diff of `left` and `right`; empty when they are equal. */
export function diffLines(left: unknown, right: unknown): DiffLine[] {
  const delta = differ.diff(left ?? null, right ?? null);
  return delta === undefined ? [] : formatter.format(delta, left ?? null);
}

export function summarise(lines: readonly DiffLine[]): DiffSummary {
  const count = (kind: DiffLineKind) => lines.filter((line) => line.kind === kind).length;
  return { added: count('added'), deleted: count('deleted'), modified: count('modified'), moved: count('moved') };
}


const sequenceDiffer = create({ arrays: { detectMove: false } });

export type SequenceStep = 'both' | 'left' | 'right';

/**
 * How two sequences of keys line up: the same longest-common-subsequence match the diff uses for
 * arrays, read back as steps (a key in both, only in the left, only in the right), in order.
 */
export function alignSequences(left: readonly string[], right: readonly string[]): SequenceStep[] {
  const delta = sequenceDiffer.diff(left, right);
  if (delta === undefined) return left.map(() => 'both');
  const lines = formatter.format(delta, left).filter((line) => line.depth === 1);
  return lines.map((line) => (line.kind === 'added' ? 'right' : line.kind === 'deleted' ? 'left' : 'both'));
}
