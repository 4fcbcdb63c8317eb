/**
 * The Jobs row context menu (an export entry point, §10.5.6): right-click a row, or press the
 * ContextMenu key / Shift+F10 on the grid, to export that job's debug bundle or open it.
 * Self-contained: it listens on the document for the jobs grid's rows, so the grid is unchanged.
 */
import { useCallback, useEffect, useState } from 'react';
import { ContextMenu, isMenuKey } from '../components/ContextMenu';
import { ExportToast, useMenuExport } from '../problems/ExportToast';
import { useViewState } from '../state/useViewState';
import { shortId } from '../lib/short-id';
import '../problems/problems.css';

interface MenuAt {
  jobId: string;
  x: number;
  y: number;
}

function rowAt(target: EventTarget | null): HTMLElement | null {
  return target instanceof Element ? target.closest<HTMLElement>('[data-testid=job-row][data-job-id]') : null;
}

export function JobRowMenu() {
  const { navigate } = useViewState();
  const [menu, setMenu] = useState<MenuAt | null>(null);
  const menuExport = useMenuExport();
  useEffect(() => {
    const onContextMenu = (event: MouseEvent) => {
      const row = rowAt(event.target);
      if (!row) return;
      event.preventDefault();
      setMenu({ jobId: row.dataset.jobId!, x: event.clientX, y: event.clientY });
    };
    const onKey = (event: KeyboardEvent) => {
      if (!isMenuKey(event) || !(event.target instanceof Element)) return;
      const grid = event.target.closest('[data-testid=jobs-grid]');
      const active = grid?.getAttribute('aria-activedescendant');
      const row = active ? rowAt(document.getElementById(active)) : null;
      if (!row) return;
      event.preventDefault();
      const box = row.getBoundingClientRect();
      setMenu({ jobId: row.dataset.jobId!, x: box.left + 24, y: box.bottom });
    };
    document.addEventListener('contextmenu', onContextMenu);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('contextmenu', onContextMenu);
      document.removeEventListener('keydown', onKey);
    };
  }, []);
  const close = useCallback(() => setMenu(null), []);
  return (
    <>
      {menu && (
        <ContextMenu
          x={menu.x}
          y={menu.y}
          label={`Job ${shortId(menu.jobId)}`}
          onClose={close}
          items={[
            { label: 'Open job', testId: 'menu-open-job', onSelect: () => navigate((state) => ({ ...state, jobId: menu.jobId })) },
            { label: 'Export debug bundle', testId: 'menu-export-job', onSelect: () => menuExport.start({ job_id: menu.jobId }) },
            { label: 'Show its problems', testId: 'menu-job-problems', onSelect: () => navigate((state) => ({ ...state, jobId: menu.jobId, tab: 'diagnostics' })) },
          ]}
        />
      )}
      <ExportToast started={menuExport.started} error={menuExport.error} onDismiss={menuExport.dismiss} />
    </>
  );
}
