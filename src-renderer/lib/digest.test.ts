import { describe, expect, it } from 'vitest';
import { sha256Hex, sha256OfJson, stableStringify } from './digest';

describe('stableStringify', () => {
  it('sorts keys at every depth so key order does not change the text', () => {
    expect(stableStringify({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(stableStringify({ a: 1, b: 2 })).toBe(stableStringify({ b: 2, a: 1 }));
  });
});

describe('sha256', () => {
  it('matches the known digest of "abc"', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes equal JSON values equally whatever their key order', async () => {
    expect(await sha256OfJson({ x: 1, y: [2] })).toBe(await sha256OfJson({ y: [2], x: 1 }));
    expect(await sha256OfJson({ x: 1 })).not.toBe(await sha256OfJson({ x: 2 }));
  });
});
