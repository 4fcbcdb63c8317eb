import { useEffect, useState } from 'react';
import { applyTheme, loadTheme, nextTheme, type Theme } from '../lib/theme';

const LABELS: Record<Theme, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(() => loadTheme());
  useEffect(() => applyTheme(theme), [theme]);
  return (
    <button type="button" className="button-small theme-toggle" onClick={() => setTheme(nextTheme)} data-testid="theme-toggle" data-theme-choice={theme}>
      {LABELS[theme]}
    </button>
  );
}
