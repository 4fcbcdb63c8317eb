import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient, pickTransport } from './api/client';
import { App } from './App';
import { applyTheme, loadTheme } from './lib/theme';
import './styles/theme.css';
import './styles/app.css';

applyTheme(loadTheme());
const api = createClient(pickTransport(window));
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App api={api} />
  </StrictMode>,
);
