import { describe, expect, it } from 'vitest';
import { diffLines, summarise } from './json-diff';

const changed = (left: unknown, right: unknown) => diffLines(left, right).filter((line) => !['unchanged', 'open', 'close'].includes(line.kind));

describe('diffLines', () => {
  it('is empty for equal values', () => {
    expect(diffLines({ argv: ['ls', '-l'], n: 1 }, { argv: ['ls', '-l'], n: 1 })).toEqual([]);
  });

  it('reports a changed field with both values, and unchanged siblings as unchanged', () => {
    const lines = diffLines({ cwd: '/tmp', timeout_ms: 100 }, { cwd: '/var', timeout_ms: 100 });
    expect(lines).toEqual([
      { depth: 0, key: null, kind: 'open', note: '{' },
      { depth: 1, key: 'cwd', kind: 'modified', left: '/tmp', right: '/var' },
      { depth: 1, key: 'timeout_ms', kind: 'unchanged', left: 100, right: 100 },
      { depth: 0, key: null, kind: 'close', note: '}' },
    ]);
  });

  it('sees one inserted array element as one addition, not every later element changed', () => {
    const lines = changed({ argv: ['echo', 'a', 'b'] }, { argv: ['echo', 'x', 'a', 'b'] });
    expect(lines).toEqual([{ depth: 2, key: '[1]', kind: 'added', right: 'x' }]);
  });

  it('reports added and removed keys and nested changes at their depth', () => {
    const lines = changed({ a: { b: 1, gone: true } }, { a: { b: 2 }, extra: [1] });
    expect(lines).toEqual([
      { depth: 2, key: 'b', kind: 'modified', left: 1, right: 2 },
      { depth: 2, key: 'gone', kind: 'deleted', left: true },
      { depth: 1, key: 'extra', kind: 'added', right: [1] },
    ]);
    expect(summarise(diffLines({ a: { b: 1, gone: true } }, { a: { b: 2 }, extra: [1] }))).toEqual({ added: 1, deleted: 1, modified: 1, moved: 0 });
  });

  it('matches array items by id so a reordered list shows a move, and handles a null side', () => {
    const lines = changed([{ id: 'a' }, { id: 'b' }, { id: 'c' }], [{ id: 'c' }, { id: 'a' }, { id: 'b' }]);
    expect(lines.map((line) => line.kind)).toEqual(['moved']);
    expect(diffLines(null, { x: 1 })).toEqual([{ depth: 0, key: null, kind: 'modified', left: null, right: { x: 1 } }]);
  });
});
