import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient, pickTransport } from './api/client';
import { signInFromAddress } from './api/session';
import { App } from './App';
import { BridgeMissing } from './components/States';
import { applyTheme, loadTheme } from './lib/theme';
import './styles/theme.css';
import './styles/app.css';

async function start(): Promise<void> {
  applyTheme(loadTheme());
  const transport = pickTransport(window);
  const root = document.getElementById("root");
  if (!root) throw new Error("index.html has no #root");
  if (!transport) {
    createRoot(root).render(
      <StrictMode>
        <BridgeMissing />
      </StrictMode>,
    );
    return;
  }
  // Before the first call and the event stream: they go out with the session cookie.
  if (transport.name === "http") await signInFromAddress(window);
  const api = createClient(transport);
  createRoot(root).render(
    <StrictMode>
      <App api={api} />
    </StrictMode>,
  );
}

void start();
