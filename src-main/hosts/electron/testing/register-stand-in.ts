/**
 * `node --import <this file> out/main/index.js` runs the built main bundle with `electron` mapped to
 * the recording stand-in. With STAND_IN_BROKEN_NATIVE_MODULE set, better-sqlite3 fails to load with
 * that message, as a native module built for a newer glibc does.
 *
 * Run by Node's type stripping: erasable TypeScript only, and no imports but node:*.
 */
import { registerHooks } from 'node:module';

const STAND_IN_URL = new URL('./electron-stand-in.ts', import.meta.url).href;

function brokenModuleUrl(message: string): string {
  // It links (the importer finds its default export) and then throws while evaluating, as a failed dlopen does.
  const source = `const error = new Error(${JSON.stringify(message)}); error.code = 'ERR_DLOPEN_FAILED'; throw error; export default undefined;`;
  return `data:text/javascript,${encodeURIComponent(source)}`;
}

const brokenNativeModule = process.env.STAND_IN_BROKEN_NATIVE_MODULE;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron') return { url: STAND_IN_URL, shortCircuit: true };
    if (specifier === 'better-sqlite3' && brokenNativeModule) return { url: brokenModuleUrl(brokenNativeModule), shortCircuit: true };
    return nextResolve(specifier, context);
  },
});
