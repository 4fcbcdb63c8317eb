import { describe, expect, it } from 'vitest';
import { MASK, MAX_STRING, redact } from './redact';

describe('redact', () => {
  it('masks values under secret-looking keys at any depth', () => {
    const value = {
      api_key: 'sk-1',
      nested: { Authorization: 'Bearer x', list: [{ password: 'p' }, { 'api-key': 'k', apikey: 'k2' }] },
      access_token: { value: 'inner' },
      client_secret: 's',
      note: 'hello',
    };
    expect(redact(value)).toEqual({
      api_key: MASK,
      nested: { Authorization: MASK, list: [{ password: MASK }, { 'api-key': MASK, apikey: MASK }] },
      access_token: MASK,
      client_secret: MASK,
      note: 'hello',
    });
  });

  it('keeps numeric token counts, which are not secrets', () => {
    expect(redact({ total_tokens: 42, token_usage: { prompt_tokens: 3 } })).toEqual({ total_tokens: 42, token_usage: MASK });
  });

  it('cuts long strings and says how much was cut', () => {
    const long = 'a'.repeat(MAX_STRING + 50);
    const shown = redact({ text: long }) as { text: string };
    expect(shown.text.startsWith('a'.repeat(MAX_STRING))).toBe(true);
    expect(shown.text).toContain('50 more chars');
    expect(shown.text.length).toBeLessThan(long.length);
  });

  it('leaves the original value untouched', () => {
    const value = { password: 'p' };
    redact(value);
    expect(value.password).toBe('p');
  });
});

describe('redact: secrets inside strings', () => {
  it('masks secrets a value carries whatever its key, with the Secret Redactor markers', () => {
    const shown = redact({ argv: ['curl', '-H', 'Authorization: Bearer abcdefghijklmnop1234', 'ada@example.org'] }) as {
      argv: string[];
    };
    expect(shown.argv).toEqual(['curl', '-H', 'Authorization: [REDACTED:secret_token:bearer_token]', '[REDACTED:pii_email:email]']);
  });
});
