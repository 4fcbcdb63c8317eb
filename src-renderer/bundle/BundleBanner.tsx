/** The banner over a bundle view: which file, read-only, and whether every file matched its manifest hash. */
import type { BundleStatus } from '../../src-shared/inspector-views';

type Opened = Extract<BundleStatus, { mode: 'bundle' }>;

function FileChecks({ bundle }: { bundle: Opened }) {
  return (
    <details className="bundle-details" open={bundle.tampered}>
      <summary>Files and their SHA-256</summary>
      <table className="data-table bundle-files" data-testid="bundle-files">
        <caption className="visually-hidden">Each file of the bundle checked against its manifest</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Check</th>
            <th scope="col">SHA-256 (manifest → file)</th>
          </tr>
        </thead>
        <tbody>
          {bundle.files.map((file) => (
            <tr key={file.path} className={file.status === 'ok' ? undefined : 'differs'} data-testid="bundle-file" data-path={file.path} data-status={file.status}>
              <th scope="row"><code>{file.path}</code></th>
              <td>{FILE_WORDS[file.status]}</td>
              <td className="mono bundle-hash">
                {file.expected_sha256 ? file.expected_sha256.slice(0, 16) : '—'} → {file.actual_sha256 ? file.actual_sha256.slice(0, 16) : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {bundle.problems.length > 0 && (
        <ul className="bundle-problems" data-testid="bundle-problems">
          {bundle.problems.map((problem, index) => (
            <li key={index}>{problem}</li>
          ))}
        </ul>
      )}
    </details>
  );
}

const FILE_WORDS = {
  ok: 'matches the manifest',
  modified: 'MODIFIED: its hash differs from the manifest',
  missing: 'MISSING: listed in the manifest, not in the ZIP',
  unlisted: 'UNLISTED: in the ZIP, not in the manifest',
} as const;

export function BundleBanner({ bundle }: { bundle: BundleStatus | null }) {
  if (bundle?.mode !== 'bundle') return null;
  const flagged = bundle.files.filter((file) => file.status !== 'ok').length;
  return (
    <section
      className={`banner bundle-banner${bundle.tampered ? ' bundle-tampered' : ''}`}
      role={bundle.tampered ? 'alert' : 'status'}
      aria-label="Debug bundle"
      data-testid="bundle-banner"
      data-tampered={bundle.tampered}
    >
      <div className="bundle-headline">
        <strong>Debug bundle {bundle.file_name}</strong>, opened read-only: nothing here can be run, changed or exported.{' '}
        {bundle.tampered ? (
          <span data-testid="bundle-verdict">
            Tampered: {flagged > 0 ? `${flagged} file${flagged === 1 ? '' : 's'} failed the check` : 'the manifest itself was altered'}
            {flagged > 0 && !bundle.manifest_intact ? ', and the manifest itself was altered' : ''}.
          </span>
        ) : (
          <span data-testid="bundle-verdict">Every file matches its SHA-256 in the manifest.</span>
        )}
        {bundle.redaction_mode && <span> Redaction: {bundle.redaction_mode}.</span>}
      </div>
      <FileChecks bundle={bundle} />
    </section>
  );
}
