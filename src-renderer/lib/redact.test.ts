import { describe, expect, it } from 'vitest';
import { MASK, MAX_STRING, redact } from './redact';

describe('redact', () => {
  it('masks values under secret-looking keys at any depth, and counts them', () => {
    const value = {
      api_key: 'sk-1',
      nested: { Authorization: 'Bearer x', list: [{ password: 'p' }, { 'api-key': 'k', apikey: 'k2' }] },
      access_token: { value: 'inner' },
      client_secret: 's',
      note: 'hello',
    };
    expect(redact(value)).toEqual({
      value: {
        api_key: MASK,
        nested: { Authorization: MASK, list: [{ password: MASK }, { 'api-key': MASK, apikey: MASK }] },
        access_token: MASK,
        client_secret: MASK,
        note: 'hello',
      },
      masked: 7,
      cut: 0,
    });
  });

  it('keeps token counts and token usage, which are not secrets, and reports nothing removed', () => {
    const usage = { total_tokens: 42, token_usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 }, tokenizer: 'bpe' };
    expect(redact(usage)).toEqual({ value: usage, masked: 0, cut: 0 });
  });

  it('cuts long strings, says how much was cut, and counts them', () => {
    const long = 'a'.repeat(MAX_STRING + 50);
    const shown = redact({ text: long });
    expect((shown.value as { text: string }).text.startsWith('a'.repeat(MAX_STRING))).toBe(true);
    expect((shown.value as { text: string }).text).toContain('50 more chars');
    expect(shown.cut).toBe(1);
  });

  it('leaves the original value untouched', () => {
    const value = { password: 'p' };
    redact(value);
    expect(value.password).toBe('p');
  });
});

describe('redact: secrets inside strings', () => {
  it('masks secrets a value carries whatever its key, with the Secret Redactor markers', () => {
    const shown = redact({ argv: ['curl', '-H', 'Authorization: Bearer abcdefghijklmnop1234', 'ada@example.org'] });
    expect(shown.masked).toBe(2);
    expect((shown.value as { argv: string[] }).argv).toEqual(['curl', '-H', 'Authorization: [REDACTED:secret_token:bearer_token]', '[REDACTED:pii_email:email]']);
  });
});
