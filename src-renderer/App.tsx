/** The shell: header with the three consoles, the recovery banner, the current view, the status bar. */
import { useEffect, useMemo, useState } from 'react';
import type { ClientApi } from './api/client';
import { ApiContext } from './api/ApiContext';
import { ViewStateContext, useHashViewState } from './state/useViewState';
import { encodeViewState, type NavView, type View } from "./state/hash-state";
import { StatusContext, useSystemStatusSource } from './status/useSystemStatus';
import { StatusBar } from './status/StatusBar';
import { RecoveryBanner } from './status/RecoveryBanner';
import { ThemeToggle } from './components/ThemeToggle';
import { JobsView } from './jobs/JobsView';
import { TimelineView } from './timeline/TimelineView';
import { TraceView } from './trace/TraceView';
import { CompareView } from './compare/CompareView';
import { BundleBanner } from './bundle/BundleBanner';
import { OpenBundleButton } from './bundle/OpenBundle';
import { BundleContext, useBundleStatusSource } from './bundle/useBundleStatus';
import { CopyLinkButton } from './components/CopyLinkButton';
import { SessionGone } from './session/SessionGone';
import { ProblemsView } from './problems/ProblemsView';
import { DeepLinkCheck } from './problems/DeepLinkCheck';
import { JobRowMenu } from './jobs/JobRowMenu';

const VIEW_LABELS: Record<NavView, string> = { jobs: 'Jobs', timeline: 'Timeline', problems: 'Problems' };

const VIEW_BODIES: Record<View, () => React.ReactNode> = {
  jobs: () => <JobsView />,
  timeline: () => <TimelineView />,
  problems: () => <ProblemsView />,
  trace: () => <TraceView />,
  compare: () => <CompareView />,
};

function Shell() {
  const [state, navigate] = useHashViewState();
  const status = useSystemStatusSource();
  const bundle = useBundleStatusSource();
  const viewState = useMemo(() => ({ state, navigate }), [state, navigate]);
  return (
    <ViewStateContext.Provider value={viewState}>
      <BundleContext.Provider value={bundle}>
      <StatusContext.Provider value={status}>
        <div className="app">
          <header className="app-header">
            <h1 className="app-title">Handshake Jobs</h1>
            <nav aria-label="Consoles" className="view-nav">
              {(Object.keys(VIEW_LABELS) as NavView[]).map((view) => (
                <a
                  key={view}
                  href={encodeViewState({ ...state, view })}
                  aria-current={state.view === view ? 'page' : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    navigate((current) => ({ ...current, view }));
                  }}
                  data-testid={`nav-${view}`}
                >
                  {VIEW_LABELS[view]}
                </a>
              ))}
            </nav>
            <span className="header-hint muted">j/k move · Enter open · / search · Esc close</span>
            {bundle?.mode === 'live' && status.status?.host === 'browser' && <OpenBundleButton />}
            <CopyLinkButton />
            <ThemeToggle />
          </header>
          <BundleBanner bundle={bundle} />
          <RecoveryBanner />
          <DeepLinkCheck />
          {state.view === 'jobs' && <JobRowMenu />}
          <main className="app-main" data-testid={`view-${state.view}`}>
            {VIEW_BODIES[state.view]()}
          </main>
          <StatusBar />
        </div>
      </StatusContext.Provider>
      </BundleContext.Provider>
    </ViewStateContext.Provider>
  );
}

export function App({ api }: { api: ClientApi }) {
  const [sessionLost, setSessionLost] = useState(false);
  useEffect(() => api.onSessionLost(() => setSessionLost(true)), [api]);
  return <ApiContext.Provider value={api}>{sessionLost ? <SessionGone /> : <Shell />}</ApiContext.Provider>;
}
