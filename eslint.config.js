// Lint rules, including the layer boundaries of ARCHITECTURE.md §1:
// src-shared imports nothing from the other layers or from Node/Electron/DOM-only packages;
// src-renderer never imports src-main; src-main's core never imports electron.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Bare builtin names go in `paths` (exact match): as patterns they would also match './events'.
const nodeBuiltinPaths = ['fs', 'path', 'os', 'child_process', 'crypto', 'http', 'net', 'url', 'events'];
const nodeBuiltins = ['node:*'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/results/**', 'e2e/screenshots/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
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
    files: ['src-main/**'],
    ignores: ['src-main/hosts/electron/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'Only src-main/hosts/electron may import electron: the core runs and is tested under plain Node.' },
          { group: ['**/src-renderer/**', '../src-renderer/*', '../../src-renderer/*'], message: 'src-main never imports the renderer.' },
        ],
      }],
    },
  },
);
