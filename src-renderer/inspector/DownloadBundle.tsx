/**
 * "Download ZIP": the bundle an export job wrote, fetched through the API (bundles.download) and
 * handed to the browser as a file, checked against the SHA-256 the main process computed.
 */
import { useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { ClientError } from '../api/records';
import { base64ToBytes } from '../bundle/base64';

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

function saveFile(name: string, bytes: Uint8Array<ArrayBuffer>): void {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/zip' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once it starts; the page need not keep the blob.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function DownloadBundle({ bundleId }: { bundleId: string }) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientError | null>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    const result = await api['bundles.download']({ bundle_id: bundleId });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    const bytes = base64ToBytes(result.data.data_base64);
    if ((await sha256Hex(bytes)) !== result.data.sha256) {
      return setError({ code: 'CLIENT-TRANSPORT', message: 'the download arrived damaged (SHA-256 mismatch); try again' });
    }
    saveFile(result.data.file_name, bytes);
  };
  return (
    <>
      <button type="button" className="button-small" onClick={() => void download()} disabled={busy} data-testid="download-bundle">
        {busy ? 'Preparing…' : 'Download ZIP'}
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error.message}
        </span>
      )}
    </>
  );
}
