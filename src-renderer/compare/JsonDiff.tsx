/**
 * A structural JSON diff, rendered: one line per key, added lines marked +, removed −, changed
 * ones with both values; a screen reader hears the kind of change, not only its colour.
 */
import { useMemo } from 'react';
import { SECRET_KEY_NAME } from '../../src-shared/redaction';
import { MASK, redact } from '../lib/redact';
import { diffLines, summarise, type DiffLine } from './json-diff';

const MAX_VALUE_CHARS = 160;

/** Values are shown redacted, as every JSON viewer shows them: a secret that changed reads as changed, never in clear. */
function show(key: string | null, value: unknown): string {
  const masked = key !== null && SECRET_KEY_NAME.test(key) && typeof value === 'string' ? MASK : redact(value).value;
  const text = JSON.stringify(masked) ?? 'undefined';
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

const MARK: Record<DiffLine['kind'], { sign: string; words: string }> = {
  unchanged: { sign: ' ', words: '' },
  open: { sign: ' ', words: '' },
  close: { sign: ' ', words: '' },
  added: { sign: '+', words: 'added' },
  deleted: { sign: '−', words: 'removed' },
  modified: { sign: '~', words: 'changed' },
  moved: { sign: '↕', words: 'moved' },
};

function Value({ line }: { line: DiffLine }) {
  if (line.kind === 'open' || line.kind === 'close') return <span className="diff-bracket">{line.note}</span>;
  if (line.kind === 'modified') {
    return (
      <>
        <del className="diff-old">{show(line.key, line.left)}</del> <span aria-hidden="true">→</span>
        <span className="visually-hidden"> to </span> <ins className="diff-new">{show(line.key, line.right)}</ins>
      </>
    );
  }
  if (line.kind === 'moved') return <span>{show(line.key, line.left)} <span className="muted">to {line.note}</span></span>;
  return <span>{show(line.key, line.kind === 'added' ? line.right : line.left)}</span>;
}

function DiffRow({ line }: { line: DiffLine }) {
  const mark = MARK[line.kind];
  return (
    <li className={`diff-line diff-${line.kind}`} style={{ paddingLeft: `${line.depth * 16 + 8}px` }} data-testid="diff-line" data-kind={line.kind}>
      <span className="diff-sign" aria-hidden="true">{mark.sign}</span>
      {mark.words && <span className="visually-hidden">{mark.words}: </span>}
      {line.key !== null && <span className="diff-key">{line.key}: </span>}
      <Value line={line} />
    </li>
  );
}

export function JsonDiff({ left, right, label, testId }: { left: unknown; right: unknown; label: string; testId?: string }) {
  const lines = useMemo(() => diffLines(left, right), [left, right]);
  const counts = summarise(lines);
  const total = counts.added + counts.deleted + counts.modified + counts.moved;
  return (
    <section className="json-diff" aria-label={label} data-testid={testId} data-changes={total}>
      <p className="diff-summary" data-testid={testId ? `${testId}-summary` : undefined}>
        {total === 0
          ? 'No differences.'
          : `${total} difference${total === 1 ? '' : 's'}: ${counts.added} added, ${counts.deleted} removed, ${counts.modified} changed${counts.moved ? `, ${counts.moved} moved` : ''}.`}
      </p>
      {lines.length > 0 && (
        <ol className="diff-lines" tabIndex={0} aria-label={`${label}, line by line`}>
          {lines.map((line, index) => (
            <DiffRow key={index} line={line} />
          ))}
        </ol>
      )}
    </section>
  );
}
