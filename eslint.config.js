// Lint rules, including the layer boundaries of ARCHITECTURE.md §1 and one world per runtime:
// - src-shared is pure: no imports from the other layers or Node/Electron/DOM-only packages, and
//   neither Node globals (Buffer, process) nor DOM globals (window, document).
// - src-renderer never imports src-main, and uses no Node module or global.
// - src-main uses no DOM global, and only src-main/hosts/electron imports electron; the preload
//   imports nothing but electron and its own relative modules (it is bundled for a sandbox).
// - Inside src-main, the layers point one way: db <- flight-recorder <- store.
// eslint.worlds.test.ts proves that each of these rules fires.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Bare builtin names go in `paths` (exact match): as patterns they would also match './events'.
const nodeBuiltinPaths = ['fs', 'path', 'os', 'child_process', 'crypto', 'http', 'net', 'url', 'events'];
const nodeBuiltins = ['node:*'];

const nodeGlobals = ['Buffer', 'process', 'global', '__dirname', '__filename', 'require', 'module', 'setImmediate'];
const domGlobals = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'HTMLElement', 'requestAnimationFrame'];

const restrictGlobals = (names, message) => names.map((name) => ({ name, message }));

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/results/**', 'e2e/screenshots/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  // Tests, end-to-end specs, benchmarks and configs drive both worlds (jsdom, a page, Node).
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'e2e/**', 'bench/**', 'scripts/**', '*.config.{js,ts}', 'src-renderer/test/**', 'src-main/testing/**'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['src-shared/**'],
    ignores: ['src-shared/**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error', ...restrictGlobals([...nodeGlobals, ...domGlobals], 'src-shared runs in both worlds: no Node or DOM globals.')],
    },
  },
  {
    files: ['src-shared/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltinPaths.map((name) => ({ name, message: 'src-shared is pure TypeScript + zod.' })),
        patterns: [
          { group: ['**/src-main/**', '**/src-renderer/**', '../src-main/*', '../src-renderer/*'], message: 'src-shared is pure: it imports nothing from the other layers.' },
          { group: [...nodeBuiltins, 'electron', 'better-sqlite3', 'react', 'react-dom', 'react-dom/*'], message: 'src-shared is pure TypeScript + zod.' },
        ],
      }],
    },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': ['error', {
        paths: nodeBuiltinPaths.map((name) => ({ name, message: 'The renderer runs in a sandboxed page: no Node modules.' })),
        patterns: [
          { group: ['**/src-main/**', '../src-main/*', '../../src-main/*'], message: 'The renderer talks to the main process only through the typed API in src-shared.' },
          { group: [...nodeBuiltins, 'electron', 'better-sqlite3'], message: 'The renderer runs in a sandboxed page: no Node or Electron modules.' },
        ],
      }],
    },
  },
  {
    files: ['src-renderer/**'],
    ignores: ['src-renderer/**/*.test.ts', 'src-renderer/**/*.test.tsx', 'src-renderer/test/**'],
    rules: {
      'no-restricted-globals': ['error', ...restrictGlobals(nodeGlobals, 'The renderer runs in a sandboxed page: no Node globals.')],
    },
  },
  {
    files: ['src-main/**'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['src-main/**'],
    ignores: ['src-main/**/*.test.ts', 'src-main/testing/**'],
    rules: {
      'no-restricted-globals': ['error', ...restrictGlobals(domGlobals, 'src-main runs in Node: no DOM globals.')],
    },
  },
  {
    files: ['src-main/**'],
    ignores: ['src-main/hosts/electron/**', 'src-main/db/**', 'src-main/flight-recorder/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'Only src-main/hosts/electron may import electron: the core runs and is tested under plain Node.' },
          { group: ['**/src-renderer/**', '../src-renderer/*', '../../src-renderer/*'], message: 'src-main never imports the renderer.' },
        ],
      }],
    },
  },
  {
    files: ['src-main/db/**'],
    ignores: ['src-main/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*', '**/src-renderer/**'], message: 'The database layer is plain Node.' },
          { group: ['../store', '../store/*', '../flight-recorder', '../flight-recorder/*', '../../store/*', '../../flight-recorder/*'], message: 'db/ is the lowest layer: it imports neither store/ nor flight-recorder/.' },
        ],
      }],
    },
  },
  {
    files: ['src-main/flight-recorder/**'],
    ignores: ['src-main/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*', '**/src-renderer/**'], message: 'The Flight Recorder is plain Node.' },
          { group: ['../store', '../store/*'], message: 'flight-recorder/ sits below store/: it never imports it.' },
        ],
      }],
    },
  },
  {
    files: ['src-main/hosts/electron/preload.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '^(?!electron$|\\.\\.?/)', message: 'The sandboxed preload may require only electron (its relative modules are bundled into it).' }],
      }],
    },
  },
);
