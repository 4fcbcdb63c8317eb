/**
 * Builds the three Electron bundles into out/: main (ESM, Node target), preload (CommonJS, fully
 * bundled: a sandboxed preload can only require 'electron'), renderer (the React app).
 * The browser host (`npm run serve`) builds the same renderer with `rendererConfig` alone.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { UserConfig } from 'vite';

const root = import.meta.dirname;

/** The renderer build, shared by electron-vite and the browser host's renderer-only build. */
export const rendererConfig = {
  root: resolve(root, 'src-renderer'),
  // Relative asset URLs work both under app://handshake/ and http://127.0.0.1:PORT/.
  base: './',
  build: {
    outDir: resolve(root, 'out/renderer'),
    emptyOutDir: true,
    target: 'chrome130',
    rolldownOptions: { input: resolve(root, 'src-renderer/index.html') },
  },
} satisfies UserConfig;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // better-sqlite3 is a native module: loaded from node_modules at run time, never bundled.
      externalizeDeps: { include: ['better-sqlite3'] },
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/hosts/electron/main.ts') },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/hosts/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
