/**
 * Deep links resolve or say why not (VAL-NAV-001): every job, event or problem id the URL names is
 * checked once with nav.resolve; one that does not resolve is recorded by the main process as a
 * Diagnostic, and this notice says so and links to it, instead of leaving an empty pane.
 */
import { useEffect, useRef, useState } from 'react';
import type { Diagnostic } from '../../src-shared/diagnostics';
import { NAV_TARGETS } from '../../src-shared/ipc';
import { useApi } from '../api/ApiContext';
import { DEFAULT_PROBLEM_FILTERS } from '../state/hash-state';
import { useViewState } from '../state/useViewState';

type Target = (typeof NAV_TARGETS)[number];

export function DeepLinkCheck() {
  const api = useApi();
  const { state, navigate } = useViewState();
  const checked = useRef(new Set<string>());
  const [failed, setFailed] = useState<Diagnostic | null>(null);
  const links: Array<[Target, string | null]> = [
    ['job', state.jobId],
    ['event', state.eventId],
    ['problem', state.problem],
  ];
  const key = JSON.stringify(links);
  useEffect(() => {
    for (const [target, id] of JSON.parse(key) as Array<[Target, string | null]>) {
      if (!id || checked.current.has(`${target}:${id}`)) continue;
      checked.current.add(`${target}:${id}`);
      void api['nav.resolve']({ target_kind: target, id }).then((result) => {
        if (result.ok && !result.data.resolved && result.data.diagnostic) setFailed(result.data.diagnostic);
      });
    }
  }, [api, key]);
  if (!failed) return null;
  const open = () => {
    setFailed(null);
    navigate((current) => ({ ...current, view: 'problems', problems: DEFAULT_PROBLEM_FILTERS, problem: failed.fingerprint, jobId: null, eventId: null }));
  };
  return (
    <div className="banner" role="alert" data-testid="deep-link-failed">
      <span>{failed.message ?? failed.title}. It was recorded as a problem.</span>
      <button type="button" className="link" onClick={open} data-testid="deep-link-open-problem">
        Open the problem
      </button>
      <button type="button" className="button-small" onClick={() => setFailed(null)} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
