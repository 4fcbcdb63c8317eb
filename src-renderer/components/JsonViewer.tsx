/**
 * JSON as a collapsible tree, redacted until the person explicitly reveals it. The bar says what
 * redaction removed (or that there was nothing to remove); nodes below the third level start
 * closed and render their children only when opened, so a large payload costs nothing until read.
 */
import { useMemo, useState } from 'react';
import { redact } from '../lib/redact';
import { CopyButton } from './CopyButton';
import { Highlight } from './Highlight';

const OPEN_DEPTH = 3;

type Expansion = 'default' | 'all' | 'none';

function isOpenByDefault(depth: number, expansion: Expansion): boolean {
  return expansion === 'all' || (expansion === 'default' && depth < OPEN_DEPTH);
}

function Key({ name }: { name: string | null }) {
  return name === null ? null : <span className="json-key">{name}: </span>;
}

function JsonNode({ name, value, depth, expansion, terms }: { name: string | null; value: unknown; depth: number; expansion: Expansion; terms?: readonly string[] }) {
  const [open, setOpen] = useState(() => isOpenByDefault(depth, expansion));
  if (value === null || typeof value !== 'object') {
    return (
      <div className="json-leaf">
        <Key name={name} />
        <span className={`json-${value === null ? 'null' : typeof value}`}>
          <Highlight text={JSON.stringify(value) ?? 'undefined'} terms={terms} />
        </span>
      </div>
    );
  }
  const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
  if (entries.length === 0) {
    return (
      <div className="json-leaf">
        <Key name={name} />
        <span className="muted">{Array.isArray(value) ? '[]' : '{}'}</span>
      </div>
    );
  }
  const size = Array.isArray(value) ? `[ ${entries.length} item${entries.length === 1 ? '' : 's'} ]` : `{ ${entries.length} key${entries.length === 1 ? '' : 's'} }`;
  return (
    <details className="json-node" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>
        <Key name={name} />
        <span className="muted">{size}</span>
      </summary>
      {open && (
        <div className="json-children">
          {entries.map(([key, item]) => (
            <JsonNode key={key} name={key} value={item} depth={depth + 1} expansion={expansion} terms={terms} />
          ))}
        </div>
      )}
    </details>
  );
}

function redactionNote(masked: number, cut: number): string {
  const parts = [masked > 0 ? `${masked} secret value${masked === 1 ? '' : 's'} masked` : '', cut > 0 ? `${cut} long string${cut === 1 ? '' : 's'} cut` : ''];
  return `Redacted: ${parts.filter(Boolean).join(', ')}`;
}

export function JsonViewer({ value, label, testId, terms }: { value: unknown; label: string; testId?: string; terms?: readonly string[] }) {
  const [revealed, setRevealed] = useState(false);
  const [expansion, setExpansion] = useState<Expansion>('default');
  const redacted = useMemo(() => redact(value), [value]);
  const removed = redacted.masked + redacted.cut > 0;
  const shown = revealed ? value : redacted.value;
  const note = revealed ? 'Raw: secrets visible' : removed ? redactionNote(redacted.masked, redacted.cut) : 'Nothing to redact';
  return (
    <div className="json-viewer" data-testid={testId}>
      <div className="json-viewer-bar">
        <span className="muted" data-testid={testId ? `${testId}-redaction` : undefined}>
          {note}
        </span>
        <span className="json-viewer-tools">
          <button type="button" className="button-small" onClick={() => setExpansion('all')}>
            Expand all
          </button>
          <button type="button" className="button-small" onClick={() => setExpansion('none')}>
            Collapse all
          </button>
          <CopyButton value={JSON.stringify(shown, null, 2) ?? 'null'} label={`${label} as JSON`} />
          {removed && (
            <button
              type="button"
              className="button-small"
              aria-pressed={revealed}
              onClick={() => setRevealed((current) => !current)}
              data-testid={testId ? `${testId}-reveal` : undefined}
            >
              Show secrets
            </button>
          )}
        </span>
      </div>
      <div className="json" role="group" aria-label={label} tabIndex={0}>
        {/* A new expansion choice (or reveal) re-renders the tree with fresh open states. */}
        <JsonNode key={`${expansion}-${String(revealed)}`} name={null} value={shown} depth={0} expansion={expansion} terms={terms} />
      </div>
    </div>
  );
}
