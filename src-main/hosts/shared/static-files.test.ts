import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTypeFor, resolveStaticPath } from './static-files';

const ROOT = resolve('/srv/renderer');

describe('resolveStaticPath', () => {
  it('maps / to index.html and nested paths inside the root', () => {
    expect(resolveStaticPath(ROOT, '/')).toBe(join(ROOT, 'index.html'));
    expect(resolveStaticPath(ROOT, '/assets/index-abc.js')).toBe(join(ROOT, 'assets', 'index-abc.js'));
    expect(resolveStaticPath(ROOT, '/assets/a%20b.css')).toBe(join(ROOT, 'assets', 'a b.css'));
  });

  it.each([
    '/../etc/passwd',
    '/assets/../../etc/passwd',
    '/%2e%2e/etc/passwd',
    '/assets/..%2f..%2fetc%2fpasswd',
    '/..%5c..%5cetc%5cpasswd',
    '/assets\\..\\..\\etc\\passwd',
    '/index.html%00.js',
    '/./index.html',
    '/%E0%A4%A',
    'relative/path',
  ])('refuses %s', (path) => {
    expect(resolveStaticPath(ROOT, path)).toBeNull();
  });
});

describe('contentTypeFor', () => {
  it('names the types the renderer build produces, and octet-stream for the rest', () => {
    expect(contentTypeFor('a/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('a/x.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('a/x.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('a/x.svg')).toBe('image/svg+xml');
    expect(contentTypeFor('a/x.woff2')).toBe('font/woff2');
    expect(contentTypeFor('a/x.exe')).toBe('application/octet-stream');
  });
});
