import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient, pickTransport } from './api/client';
import { App } from './App';
import { BridgeMissing } from './components/States';
import { applyTheme, loadTheme } from './lib/theme';
import './styles/theme.css';
import './styles/app.css';

applyTheme(loadTheme());
const transport = pickTransport(window);
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    {transport ? <App api={createClient(transport)} /> : <BridgeMissing />}
  </StrictMode>,
);
