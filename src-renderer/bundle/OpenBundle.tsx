/**
 * "Open bundle": pick a debug bundle ZIP or drop it here. The main process checks it and serves
 * it read-only on an address of its own; the bundle opens there, beside this live view.
 */
import { useState } from 'react';
import type { ChannelOutput } from '../../src-shared/ipc';
import { BUNDLE_UPLOAD_MAX_BASE64 } from '../../src-shared/inspector-views';
import { useApi } from '../api/ApiContext';
import type { ClientError } from '../api/records';
import { Dialog } from '../components/Dialog';
import { bytesToBase64 } from './base64';

/** Base64 grows a file by a third: this is the largest ZIP one request can carry. */
const MAX_ZIP_BYTES = Math.floor((BUNDLE_UPLOAD_MAX_BASE64 * 3) / 4);

type Opened = ChannelOutput<'bundles.open'>;

function OpenBundleDialog({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientError | null>(null);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [dragging, setDragging] = useState(false);

  const open = async (file: File) => {
    setError(null);
    setOpened(null);
    if (file.size > MAX_ZIP_BYTES) {
      setError({ code: 'HSK-413-PAYLOAD-TOO-LARGE', message: `${file.name} is ${Math.round(file.size / 1024)} KiB; the browser can send up to ${Math.round(MAX_ZIP_BYTES / 1024)} KiB. Open it with: npm run serve -- --bundle ${file.name}` });
      return;
    }
    setBusy(true);
    const result = await api['bundles.open']({ file_name: file.name, data_base64: bytesToBase64(new Uint8Array(await file.arrayBuffer())) });
    setBusy(false);
    if (result.ok) setOpened(result.data);
    else setError(result.error);
  };

  return (
    <Dialog title="Open a debug bundle" onClose={onClose} testId="open-bundle-dialog">
      <p>A debug bundle ZIP opens read-only in its own tab. Every file is checked against the SHA-256 in its manifest; nothing is written to this data dir.</p>
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        data-testid="bundle-drop-zone"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          const file = event.dataTransfer.files[0];
          if (file) void open(file);
        }}
      >
        <p>Drop a bundle .zip here, or</p>
        <label className="file-pick">
          <span className="visually-hidden">Bundle file</span>
          <input type="file" accept=".zip,application/zip" disabled={busy} onChange={(event) => event.target.files?.[0] && void open(event.target.files[0])} data-testid="bundle-file-input" />
        </label>
      </div>
      {busy && <p role="status">Checking the bundle…</p>}
      {error && (
        <p className="field-error" role="alert" data-testid="open-bundle-error">
          {error.message} <code>{error.code}</code>
        </p>
      )}
      {opened && opened.bundle.mode === 'bundle' && (
        <p role="status" data-testid="open-bundle-result" data-tampered={opened.bundle.tampered}>
          {opened.bundle.tampered ? 'Opened, but it does not match its manifest: see the banner there.' : 'Opened: every file matches its manifest.'}{' '}
          <a href={opened.url} target="_blank" rel="noopener noreferrer" data-testid="open-bundle-link">
            Show {opened.bundle.file_name}
          </a>
        </p>
      )}
      <div className="dialog-buttons">
        <button type="button" onClick={onClose}>Close</button>
      </div>
    </Dialog>
  );
}

export function OpenBundleButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button-small" onClick={() => setOpen(true)} data-testid="open-bundle">
        Open bundle
      </button>
      {open && <OpenBundleDialog onClose={() => setOpen(false)} />}
    </>
  );
}
