/** The shell: header with the three consoles, the recovery banner, the current view, the status bar. */
import { useMemo } from 'react';
import type { ClientApi } from './api/client';
import { ApiContext } from './api/ApiContext';
import { ViewStateContext, useHashViewState } from './state/useViewState';
import type { View } from './state/hash-state';
import { StatusContext, useSystemStatusSource } from './status/useSystemStatus';
import { StatusBar } from './status/StatusBar';
import { RecoveryBanner } from './status/RecoveryBanner';
import { ThemeToggle } from './components/ThemeToggle';
import { JobsView } from './jobs/JobsView';
import { TimelineView } from './timeline/TimelineView';
import { ProblemsView } from './problems/ProblemsView';
import { DeepLinkCheck } from './problems/DeepLinkCheck';
import { JobRowMenu } from './jobs/JobRowMenu';

const VIEW_LABELS: Record<View, string> = { jobs: 'Jobs', timeline: 'Timeline', problems: 'Problems' };

function Shell() {
  const [state, navigate] = useHashViewState();
  const status = useSystemStatusSource();
  const viewState = useMemo(() => ({ state, navigate }), [state, navigate]);
  return (
    <ViewStateContext.Provider value={viewState}>
      <StatusContext.Provider value={status}>
        <div className="app">
          <header className="app-header">
            <h1 className="app-title">Handshake Jobs</h1>
            <nav aria-label="Consoles" className="view-nav">
              {(Object.keys(VIEW_LABELS) as View[]).map((view) => (
                <a
                  key={view}
                  href={`#view=${view}`}
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
            <ThemeToggle />
          </header>
          <RecoveryBanner />
          <DeepLinkCheck />
          {state.view === 'jobs' && <JobRowMenu />}
          <main className="app-main" data-testid={`view-${state.view}`}>
            {state.view === 'jobs' ? <JobsView /> : state.view === 'problems' ? <ProblemsView /> : <TimelineView />}
          </main>
          <StatusBar />
        </div>
      </StatusContext.Provider>
    </ViewStateContext.Provider>
  );
}

export function App({ api }: { api: ClientApi }) {
  return (
    <ApiContext.Provider value={api}>
      <Shell />
    </ApiContext.Provider>
  );
}
