/**
 * A recording stand-in for the `electron` module, so the built main bundle runs under plain Node
 * (register-stand-in.ts maps `electron` here; main-bundle-run.ts starts it). Every call the bundle
 * makes is recorded and sent to the test process, which drives the app with commands: fire ready,
 * request an app:// URL, ask for a permission, emit an event, quit. It keeps Electron's ordering
 * rules (schemes before ready; sessions, protocol handlers and windows after), so wiring that
 * breaks them fails here as it would in Electron.
 *
 * Run by Node's type stripping: erasable TypeScript only, and no imports but node:*.
 */
import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';

export interface StandInRecord {
  seq: number;
  api: string;
  args: unknown[];
  /** Whether `ready` had fired when the call was made. */
  afterReady: boolean;
}

type Handler = (...args: never[]) => unknown;

let recordSeq = 0;
let readyFired = false;

function summarize(value: unknown, depth = 0): unknown {
  if (typeof value === 'function') return '[function]';
  if (value === null || typeof value !== 'object') return value;
  if (depth > 4) return '[deep]';
  if (Array.isArray(value)) return value.map((item) => summarize(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, summarize(item, depth + 1)]));
}

function record(api: string, ...args: unknown[]): void {
  recordSeq += 1;
  const entry: StandInRecord = { seq: recordSeq, api, args: args.map((arg) => summarize(arg)), afterReady: readyFired };
  process.send?.({ type: 'record', record: entry });
}

function requireReady(what: string): void {
  if (!readyFired) throw new Error(`${what} can only be used after the app is ready`);
}

/** Ends the process the way app.exit/app.quit do, after the test has every record sent so far. */
function end(code: number): void {
  if (!process.send) process.exit(code);
  process.send({ type: 'exit', code }, () => process.exit(code));
}

class StandInEvent {
  defaultPrevented = false;
  constructor(details: object = {}) {
    Object.assign(this, details);
  }
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

let resolveReady: () => void = () => {};
const readyPromise = new Promise<void>((resolve) => {
  resolveReady = resolve;
});

class StandInApp extends EventEmitter {
  whenReady(): Promise<void> {
    record('app.whenReady');
    return readyPromise;
  }
  isReady(): boolean {
    return readyFired;
  }
  getPath(name: string): string {
    record('app.getPath', name);
    if (name !== 'userData') throw new Error(`stand-in: no path for ${name}`);
    // Never created here: a test that expects its data elsewhere finds nothing there.
    return process.env.STAND_IN_USER_DATA ?? `${tmpdir()}/hsk-stand-in-unused-user-data`;
  }
  getVersion(): string {
    return '0.0.0-stand-in';
  }
  requestSingleInstanceLock(): boolean {
    record('app.requestSingleInstanceLock');
    return process.env.STAND_IN_SECOND_INSTANCE !== '1';
  }
  quit(): void {
    record('app.quit');
    const event = new StandInEvent();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return record('app.quit.held');
    this.emit('will-quit', new StandInEvent());
    record('app.quit.proceeds');
    end(0);
  }
  exit(code = 0): void {
    record('app.exit', code);
    end(code);
  }
}

export const app = new StandInApp();

const protocolHandlers = new Map<string, (request: Request) => Response | Promise<Response>>();

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    record('protocol.registerSchemesAsPrivileged', schemes);
    if (readyFired) throw new Error('protocol.registerSchemesAsPrivileged must be called before the app is ready');
  },
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    record('protocol.handle', scheme);
    requireReady('protocol.handle');
    protocolHandlers.set(scheme, handler);
  },
};

let permissionRequestHandler: Handler | null = null;
let permissionCheckHandler: Handler | null = null;

const defaultSession = {
  setPermissionRequestHandler(handler: Handler): void {
    record('session.setPermissionRequestHandler');
    permissionRequestHandler = handler;
  },
  setPermissionCheckHandler(handler: Handler): void {
    record('session.setPermissionCheckHandler');
    permissionCheckHandler = handler;
  },
};

export const session = {
  get defaultSession() {
    requireReady('session.defaultSession');
    return defaultSession;
  },
};

class StandInIpcMain extends EventEmitter {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, handler: Handler): void {
    record('ipcMain.handle', channel);
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  override on(channel: string, listener: (...args: unknown[]) => void): this {
    record('ipcMain.on', channel);
    return super.on(channel, listener);
  }
}

export const ipcMain = new StandInIpcMain();

class StandInWebContents extends EventEmitter {
  readonly mainFrame = { url: '' };
  windowOpenHandler: Handler | null = null;
  getURL(): string {
    return this.mainFrame.url;
  }
  loadURL(url: string): Promise<void> {
    record('webContents.loadURL', url);
    this.emit('did-start-navigation', new StandInEvent({ url, isMainFrame: true, isSameDocument: false }));
    this.mainFrame.url = url;
    return Promise.resolve();
  }
  reload(): void {
    record('webContents.reload');
    this.emit('did-start-navigation', new StandInEvent({ url: this.mainFrame.url, isMainFrame: true, isSameDocument: false }));
  }
  send(channel: string, ...args: unknown[]): void {
    record('webContents.send', channel, ...args);
  }
  setWindowOpenHandler(handler: Handler): void {
    record('webContents.setWindowOpenHandler');
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return false;
  }
}

const windows: StandInBrowserWindow[] = [];

class StandInBrowserWindow extends EventEmitter {
  static getAllWindows(): StandInBrowserWindow[] {
    return [...windows];
  }
  readonly webContents: StandInWebContents;
  constructor(options: object) {
    super();
    record('BrowserWindow.new', options);
    requireReady('BrowserWindow');
    this.webContents = new StandInWebContents();
    windows.push(this);
    app.emit('web-contents-created', new StandInEvent(), this.webContents);
  }
  loadURL(url: string): Promise<void> {
    record('BrowserWindow.loadURL', url);
    return this.webContents.loadURL(url);
  }
  isDestroyed(): boolean {
    return false;
  }
  /** Reported minimised, so bringing the window forward has to restore it. */
  isMinimized(): boolean {
    return true;
  }
  restore(): void {
    record('BrowserWindow.restore');
  }
  show(): void {
    record('BrowserWindow.show');
  }
  focus(): void {
    record('BrowserWindow.focus');
  }
  setEnabled(enabled: boolean): void {
    record('BrowserWindow.setEnabled', enabled);
  }
}

export { StandInBrowserWindow as BrowserWindow };

export const shell = {
  openExternal(url: string): Promise<void> {
    record('shell.openExternal', url);
    return Promise.resolve();
  },
};

export const dialog = {
  showErrorBox(title: string, content: string): void {
    record('dialog.showErrorBox', title, content);
  },
  showMessageBox(...args: unknown[]): Promise<{ response: number }> {
    record('dialog.showMessageBox', ...args.filter((arg) => !(arg instanceof StandInBrowserWindow)));
    return Promise.resolve({ response: 0 });
  },
};

function mainContents(): StandInWebContents {
  const window = windows[0];
  if (!window) throw new Error('stand-in: no window yet');
  return window.webContents;
}

interface PermissionArgs {
  permission: string;
  requestingUrl?: string;
  isMainFrame: boolean;
}

/** What the test can make happen; each answers with a JSON-able value. */
const commands: Record<string, (args: never) => unknown> = {
  ready() {
    readyFired = true;
    resolveReady();
    app.emit('ready', new StandInEvent(), {});
    return null;
  },
  async fetch({ url, method = 'GET' }: { url: string; method?: string }) {
    const handler = protocolHandlers.get(new URL(url).protocol.slice(0, -1));
    if (!handler) throw new Error(`stand-in: no protocol handler for ${url}`);
    const response = await handler(new Request(url, { method }));
    return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
  },
  permissionRequest({ permission, requestingUrl, isMainFrame }: PermissionArgs) {
    if (!permissionRequestHandler) throw new Error('stand-in: no permission request handler');
    const handler = permissionRequestHandler as unknown as (...args: unknown[]) => void;
    return new Promise((resolve) => handler(mainContents(), permission, resolve, { requestingUrl, isMainFrame }));
  },
  permissionCheck({ permission, requestingUrl, isMainFrame }: PermissionArgs) {
    if (!permissionCheckHandler) throw new Error('stand-in: no permission check handler');
    const handler = permissionCheckHandler as unknown as (...args: unknown[]) => boolean;
    return handler(mainContents(), permission, requestingUrl ? new URL(requestingUrl).origin : '', { requestingUrl, isMainFrame });
  },
  contentsEvent({ name, details = {}, args = [] }: { name: string; details?: object; args?: unknown[] }) {
    const event = new StandInEvent(details);
    mainContents().emit(name, event, ...args);
    return { prevented: event.defaultPrevented };
  },
  windowOpen({ url }: { url: string }) {
    return mainContents().windowOpenHandler?.({ url } as never) ?? null;
  },
  /** An ipcRenderer.send from the main window's main frame, or from another frame at `frameUrl`. */
  ipcSend({ channel, frameUrl }: { channel: string; frameUrl?: string }) {
    const contents = mainContents();
    ipcMain.emit(channel, { sender: contents, senderFrame: frameUrl ? { url: frameUrl } : contents.mainFrame });
    return null;
  },
  invoke({ channel, input }: { channel: string; input: unknown }) {
    const handler = ipcMain.handlers.get(channel) as unknown as ((...args: unknown[]) => unknown) | undefined;
    if (!handler) throw new Error(`stand-in: no handler for ${channel}`);
    const contents = mainContents();
    return handler({ sender: contents, senderFrame: contents.mainFrame }, input);
  },
  quit({ times }: { times: number }) {
    for (let index = 0; index < times; index += 1) app.quit();
    return null;
  },
  secondInstance() {
    app.emit('second-instance', new StandInEvent(), [], process.cwd(), {});
    return null;
  },
};

process.on('message', (message: { type?: string; id?: number; op?: string; args?: unknown }) => {
  if (message.type !== 'command' || typeof message.id !== 'number') return;
  const { id } = message;
  const command = commands[message.op ?? ''];
  Promise.resolve()
    .then(() => {
      if (!command) throw new Error(`stand-in: unknown command ${message.op}`);
      return command(message.args as never);
    })
    .then(
      (value) => process.send?.({ type: 'reply', id, value: summarize(value) }),
      (error: unknown) => process.send?.({ type: 'reply', id, error: error instanceof Error ? error.message : String(error) }),
    );
});
