/**
 * A static check of the built main bundle: every module it can load at run time is `electron`, a
 * Node builtin (node:*) or one of package.json's `dependencies` (what a packaged app ships), and
 * the entry reaches better-sqlite3 only through a dynamic import, so a driver that cannot load
 * fails inside the guarded start.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseSync } from 'vite';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../shared/renderer-build';

const MAIN_DIR = join(PROJECT_ROOT, 'out/main');
const ENTRY = join(MAIN_DIR, 'index.js');
const DEPENDENCIES = Object.keys((JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);

interface ModuleRequests {
  static: string[];
  dynamic: string[];
}

function bundleFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(c|m)?js$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** `require('x')` calls anywhere in the AST (a createRequire'd require included). */
function requireCalls(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const child of node) requireCalls(child, found);
  } else if (node && typeof node === 'object') {
    const call = node as { type?: string; callee?: { type?: string; name?: string }; arguments?: { type?: string; value?: unknown }[] };
    if (call.type === 'CallExpression' && call.callee?.type === 'Identifier' && call.callee.name === 'require') {
      const [first] = call.arguments ?? [];
      found.push(first?.type === 'Literal' && typeof first.value === 'string' ? first.value : '<computed>');
    }
    for (const child of Object.values(node)) requireCalls(child, found);
  }
  return found;
}

function requestsOf(file: string): ModuleRequests {
  const code = readFileSync(file, 'utf8');
  const parsed = parseSync(file, code);
  expect(parsed.errors, file).toEqual([]);
  const { staticImports, staticExports, dynamicImports } = parsed.module;
  const reexports = staticExports.flatMap((entry) => entry.entries.flatMap((item) => (item.moduleRequest ? [item.moduleRequest.value] : [])));
  const dynamic = dynamicImports.map(({ moduleRequest }) => {
    const literal = /^(['"`])([^'"`$]*)\1$/.exec(code.slice(moduleRequest.start, moduleRequest.end));
    return literal?.[2] ?? '<computed>';
  });
  return { static: [...staticImports.map((entry) => entry.moduleRequest.value), ...reexports], dynamic: [...dynamic, ...requireCalls(parsed.program)] };
}

const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const isRelative = (specifier: string) => specifier.startsWith('./') || specifier.startsWith('../');

function isAllowedExternal(specifier: string): boolean {
  return specifier === 'electron' || specifier.startsWith('node:') || DEPENDENCIES.includes(packageOf(specifier));
}

/** Every module the entry loads before running any code: its static imports, transitively. */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  for (const specifier of requestsOf(file).static) {
    const id = isRelative(specifier) ? resolve(dirname(file), specifier) : specifier;
    if (seen.has(id)) continue;
    seen.add(id);
    if (isRelative(specifier)) staticClosure(id, seen);
  }
  return seen;
}

describe('the built main bundle\'s imports', () => {
  const files = bundleFiles(MAIN_DIR);

  it('are electron, node:* builtins, package.json dependencies or its own chunks, all literal', () => {
    expect(files).toContain(ENTRY);
    for (const file of files) {
      const { static: fixed, dynamic } = requestsOf(file);
      for (const specifier of [...fixed, ...dynamic]) {
        const where = `${relative(PROJECT_ROOT, file)} imports ${specifier}`;
        if (isRelative(specifier)) expect(files, where).toContain(resolve(dirname(file), specifier));
        else expect(isAllowedExternal(specifier), where).toBe(true);
      }
    }
  });

  it('do not load better-sqlite3 before the app starts: only a dynamic import reaches it', () => {
    expect([...staticClosure(ENTRY)]).not.toContain('better-sqlite3');
    const everything = files.flatMap((file) => requestsOf(file).static);
    expect(everything).toContain('better-sqlite3');
  });
});
