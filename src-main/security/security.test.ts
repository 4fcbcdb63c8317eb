import { describe, expect, it } from 'vitest';
import { scanForInjection } from './prompt-injection';
import { Redactor, redactPreview } from './redact';

describe('prompt-injection scan', () => {
  it.each([
    ['Please ignore previous instructions', 'ignore previous'],
    ['NEW INSTRUCTIONS: do this', 'new instructions'],
    ['run a System\tCommand now', 'system command'],
    ['enable Developer\u200B Mode', 'developer mode'],
    ['ｉｇｎｏｒｅ previous', 'ignore previous'],
    ['nothing to see', null],
  ])('scans %j case-folded and normalised', (text, pattern) => {
    const scan = scanForInjection(text);
    expect(scan.hit ? scan.pattern : null).toBe(pattern);
  });

  it('reports the first marker and its offset in the normalised text', () => {
    expect(scanForInjection('ok.  Developer mode, then ignore previous')).toMatchObject({ hit: true, pattern: 'developer mode', offset: 4 });
  });

  it('passes ordinary text', () => {
    expect(scanForInjection('A report on previous quarters and new hires.')).toEqual({ hit: false });
  });
});

describe('Redactor', () => {
  it('masks secrets, PII and home paths as [REDACTED:<category>:<detector>] and counts them', () => {
    const redactor = new Redactor('/home/ada');
    const out = redactor.redactText(
      'key sk-abcdefghijklmnopqrstuvwx AKIAABCDEFGHIJKLMNOP postgres://u:pw@db/x mail ada@example.org at /home/ada/notes.md',
    );
    expect(out).toBe(
      'key [REDACTED:secret_api_key:openai_style_key] [REDACTED:secret_aws:aws_access_key] [REDACTED:secret_db_url:db_url_credentials] mail [REDACTED:pii_email:email] at [REDACTED:path_absolute:home_dir]/notes.md',
    );
    expect(redactor.report.total).toBe(5);
  });

  it('masks values under secret-looking keys but leaves token metrics alone', () => {
    const redactor = new Redactor('/home/ada');
    expect(redactor.redactValue({ api_key: 'abc', password: 'x', total_tokens: 12, nested: { auth_token: 'y' } })).toEqual({
      api_key: '[REDACTED:secret_token:secret_key_name]',
      password: '[REDACTED:secret_token:secret_key_name]',
      total_tokens: 12,
      nested: { auth_token: '[REDACTED:secret_token:secret_key_name]' },
    });
  });

  it('handles 256 KiB of dots and letters (the shape that made the e-mail and URL detectors quadratic) and still finds secrets after it', () => {
    const filler = 'a.'.repeat(128 * 1024);
    const redactor = new Redactor('/home/ada');
    const out = redactor.redactText(`${filler} ada@example.org postgres://u:pw@db/x`);
    expect(out.endsWith(' [REDACTED:pii_email:email] [REDACTED:secret_db_url:db_url_credentials]')).toBe(true);
    expect(redactor.report.total).toBe(2);
  });

  it('masks a private key block that a preview cuts before its END line', () => {
    const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7'.repeat(20);
    const document = `notes\n-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;
    const preview = redactPreview(document, 200, '/home/ada');
    expect(preview).toBe('notes\n[REDACTED:secret_private_key:pem_block]\n');
    expect(new Redactor('/home/ada').redactText(document.slice(0, 120))).not.toContain('MIIEvQIBADANBgkq');
  });
});

describe('redactPreview', () => {
  it('redacts the whole text before cutting, so a secret that straddles any cut never shows in part', () => {
    // Long secrets early in the text shrink to short markers and pull later text into the preview;
    // the key starts 10 characters before twice the preview length, where a cut-first would split it.
    const maxChars = 400;
    const token = `Bearer ${'a1'.repeat(40)} `;
    const filler = token.repeat(Math.ceil((2 * maxChars - 10) / token.length)).slice(0, 2 * maxChars - 10);
    const document = `${filler.replace(/\S*$/, '').padEnd(2 * maxChars - 10, ' ')}sk-abcdefghijklmnopqrstuvwxyz012345 end`;
    expect(document.indexOf('sk-')).toBe(2 * maxChars - 10);
    const preview = redactPreview(document, maxChars, '/home/ada');
    // Cut first, the key would show as "sk-abcdefg" (too short for the detector); redacted first,
    // the preview ends inside the key's marker.
    expect(preview).not.toMatch(/sk-[a-z]/);
    expect(preview).toMatch(/\[REDACTED:secret_a$/);
  });
});

describe('Redactor: every category of the spec', () => {
  it.each([
    ['sk-proj-abcdefghijklmnop1234', 'secret_api_key:openai_style_key'],
    ['AKIAABCDEFGHIJKLMNOP', 'secret_aws:aws_access_key'],
    ['postgres://app:hunter2@db.internal/x', 'secret_db_url:db_url_credentials'],
    ['-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----', 'secret_private_key:pem_block'],
    ['password=hunter2x', 'secret_password:assignment'],
    ['ghp_abcdefghijklmnopqrstuvwxyz0123', 'secret_token:github_token'],
    ['xoxb-1234567890-abcdefghij', 'secret_token:slack_token'],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', 'secret_token:jwt'],
    ['Bearer abcdefghijklmnop', 'secret_token:bearer_token'],
    ['ada@example.org', 'pii_email:email'],
    ['+44 20 7946 0958', 'pii_phone:phone_international'],
    ['(555) 123-4567', 'pii_phone:phone_nanp'],
    ['555-123-4567', 'pii_phone:phone_nanp'],
    ['/home/ada/notes.txt', 'path_absolute:home_dir'],
    ['DATABASE_URL_PART=anything', 'env_var:env_assignment'],
  ])('masks %j as %s', (secret, marker) => {
    expect(new Redactor('/nonexistent-home').redactText(`before ${secret} after`)).toBe(`before [REDACTED:${marker}] after`);
  });

  it.each([
    '2026-01-20 10:00:00',
    '2026-01-20T10:00:00.000Z',
    '0190f5d2-7c1e-7a3b-8f00-123456789abc',
    'heartbeat_timeout_after_crash',
    'exited with code 127 after 1500 ms',
    'GREETING=hi',
  ])('leaves ordinary text alone: %j', (text) => {
    expect(new Redactor('/nonexistent-home').redactText(text)).toBe(text);
  });
});
