/** The Problems console: diagnostics grouped by fingerprint, filters, the evidence drawer, row menus. */
import { useCallback, useState } from 'react';
import { useViewState } from '../state/useViewState';
import type { ProblemFilters } from '../state/hash-state';
import { Empty, ErrorNote, Loading } from '../components/States';
import { ContextMenu } from '../components/ContextMenu';
import { ProblemFiltersBar } from './ProblemFiltersBar';
import { ProblemTable, type RowMenuRequest } from './ProblemTable';
import { EventEvidence } from '../evidence/EventEvidence';
import { ProblemDrawer } from './ProblemDrawer';
import { ExportToast, useMenuExport } from './ExportToast';
import { useProblemList } from './useProblemList';
import './problems.css';

export function ProblemsView() {
  const { state, navigate } = useViewState();
  const list = useProblemList(state.problems);
  const [menu, setMenu] = useState<RowMenuRequest | null>(null);
  // An event a problem's instance cites, open in the Evidence Drawer; closing it returns to the problem.
  const [citedEvent, setCitedEvent] = useState<string | null>(null);
  const menuExport = useMenuExport();
  const setFilters = (problems: ProblemFilters) => navigate((current) => ({ ...current, problems, problem: null }));
  const open = useCallback(
    (problem: string) => {
      setCitedEvent(null);
      navigate((current) => ({ ...current, problem }));
    },
    [navigate],
  );
  const close = useCallback(() => {
    setCitedEvent(null);
    navigate((current) => ({ ...current, problem: null }));
  }, [navigate]);
  const closeCitedEvent = useCallback(() => setCitedEvent(null), []);
  const closeMenu = useCallback(() => setMenu(null), []);
  return (
    <div className={`problems-layout${state.problem ? ' with-drawer' : ''}`}>
      <section className="problems-pane" aria-label="Problems">
        <ProblemFiltersBar filters={state.problems} onChange={setFilters} />
        {list.status === 'error' && list.error ? (
          <ErrorNote error={list.error} retry={list.reload} />
        ) : list.status === 'loading' ? (
          <Loading what="problems" />
        ) : list.rows.length === 0 ? (
          <Empty>No problems match these filters.</Empty>
        ) : (
          <ProblemTable list={list} selected={state.problem} onOpen={open} onMenu={setMenu} />
        )}
      </section>
      {state.problem &&
        (citedEvent ? (
          <EventEvidence eventId={citedEvent} onClose={closeCitedEvent} />
        ) : (
          <ProblemDrawer fingerprint={state.problem} onClose={close} onOpenEvent={setCitedEvent} />
        ))}
      {menu && (
        <ContextMenu
          x={menu.x}
          y={menu.y}
          label={`Problem: ${menu.problem.title}`}
          onClose={closeMenu}
          items={[
            { label: 'Open evidence', testId: 'menu-open-problem', onSelect: () => open(menu.problem.fingerprint) },
            { label: 'Export debug bundle (this problem)', testId: 'menu-export-problem', onSelect: () => menuExport.start({ scope: 'problem', fingerprint: menu.problem.fingerprint }) },
            ...(menu.problem.job_id
              ? [{ label: 'Export debug bundle (its job)', testId: 'menu-export-problem-job', onSelect: () => menuExport.start({ job_id: menu.problem.job_id! }) }]
              : []),
          ]}
        />
      )}
      <ExportToast started={menuExport.started} error={menuExport.error} onDismiss={menuExport.dismiss} />
    </div>
  );
}
