/**
 * The Redactor's fast path: a text holding none of DETECTOR_CLUES is returned without running the
 * detectors. Safe only if every detector match holds a clue; checked here on the canary forms of
 * the canary sweep and on generated text built from the detectors' own pieces.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JOB_KINDS, JOB_STATES } from './enums';
import { PROTOCOLS } from './protocols';
import { CANONICAL_CLEAN, DETECTOR_CLUES, Redactor, VALUE_DETECTORS } from './redaction';

const HOME = '/nonexistent/home-for-redaction-test';

/** The canary sweep's ten forms and more, one per detector alternative. */
const CANARIES = [
  'sk-proj-CanaryOpenAi0123456789abcdef',
  'AKIACANARY0123456789',
  'ASIACANARY0123456789',
  'ghp_CanaryGithubToken0123456789abcdefgh',
  'xoxb-2468013579-CanarySlackToken',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.Q2FuYXJ5U2lnbmF0dXJl',
  'password=CanaryHunter22',
  'api_key: CanaryHunter22',
  'Bearer CanaryBearerToken0123456789',
  '-----BEGIN RSA PRIVATE KEY-----\nMIIEcanaryPrivateKeyBody0123456789\n-----END RSA PRIVATE KEY-----',
  '-----BEGIN PRIVATE KEY-----\nMIIEcut short',
  'postgres://admin:CanaryPass@db.example.com/prod',
  'ada.canary@example.org',
  '+44 20 7946 0958',
  '(555) 123-4567',
  '555-123-4567',
  '555.123.4567',
  '/home/ada/canary-home-dir/secret.txt',
  '/Users/ada/secret.txt',
  'C:\\Users\\ada\\secret.txt',
  '/root/.ssh/id_rsa',
  'CANARY_SECRET_VALUE=CanaryEnvValue42',
];

/** Every detector applied, with no fast path: what redactText did before it had one. */
function everyDetector(text: string): string {
  let out = text;
  for (const detector of VALUE_DETECTORS) out = out.replace(detector.pattern, `[REDACTED:${detector.category}:${detector.id}]`);
  return out;
}

function detectorMatches(text: string): string[] {
  return VALUE_DETECTORS.flatMap((detector) => [...text.matchAll(detector.pattern)].map((match) => match[0]));
}

const PIECES = [
  'sk-', 'AKIA', 'ASIA', 'ghp_', 'gho_', 'ghs_', 'xoxb-', 'xoxp-', 'eyJ', 'Bearer', 'password', 'token', 'secret', 'API_KEY', 'DB_URL',
  '-----BEGIN RSA PRIVATE KEY-----', '-----END RSA PRIVATE KEY-----', '://', 'postgres', 'user', 'example.com', 'ada',
  '+44', '+1', '555', '123', '4567', '(555)', '/home/', '/Users/', 'C:\\Users\\', '/root', 'ABCDEFGHIJKLMNOP0123',
  '0123456789abcdefghij', 'QRSTUVWXYZ012345', 'hsk.docs.edit.v0', 'doc_edit', 'queued',
];
const SEPARATORS = [' ', '-', '.', '_', ':', '=', '@', '+', '/', '\\', '\n', '(', ')', '"', "'", ',', ';'];
const textOfPieces = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.constantFrom(...SEPARATORS), fc.string({ maxLength: 6 })), { maxLength: 24 })
  .map((parts) => parts.join(''));

describe('Redactor fast path', () => {
  it('finds a clue in every canary form and in every match the detectors make in it', () => {
    for (const canary of CANARIES) {
      expect(DETECTOR_CLUES.test(canary), canary).toBe(true);
      const matches = detectorMatches(canary);
      expect(matches.length, canary).toBeGreaterThan(0);
      for (const match of matches) expect(DETECTOR_CLUES.test(match), match).toBe(true);
      expect(new Redactor(HOME).redactText(canary)).toBe(everyDetector(canary));
      expect(new Redactor(HOME).redactText(`note: ${canary} end`)).not.toContain(canary);
    }
  });

  it('redacts generated text exactly as running every detector does, and every match holds a clue', () => {
    fc.assert(
      fc.property(textOfPieces, (text) => {
        for (const match of detectorMatches(text)) expect(DETECTOR_CLUES.test(match), match).toBe(true);
        expect(new Redactor(HOME).redactText(text)).toBe(everyDetector(text));
      }),
      { numRuns: 3_000 },
    );
  });

  it('returns kinds, states, protocol ids and ids as they are, without running the detectors', () => {
    const inert = [...JOB_KINDS, ...JOB_STATES, ...Object.values(PROTOCOLS).flat().map((entry) => entry.protocol_id), '0193a1f2-4b5c-7d6e-8f90-a1b2c3d4e5f0', 'bench.v1'];
    for (const text of inert) {
      expect(DETECTOR_CLUES.test(text), text).toBe(false);
      expect(new Redactor(HOME).redactText(text)).toBe(text);
    }
  });

  it('passes whole UUIDs and RFC3339 timestamps without the detectors, none of which matches inside one', () => {
    const uuid = fc.uuid({ version: [4, 7] });
    const timestamp = fc
      .tuple(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), fc.constantFrom('Z', '+02:00', '-11:30', '+00:00'), fc.boolean())
      .map(([date, offset, millis]) => (millis ? date.toISOString() : date.toISOString().replace(/\.\d{3}/, '')).replace('Z', offset));
    fc.assert(
      fc.property(fc.oneof(uuid, timestamp), (text) => {
        expect(CANONICAL_CLEAN.test(text), text).toBe(true);
        expect(detectorMatches(text), text).toEqual([]);
        expect(new Redactor(HOME).redactText(text)).toBe(text);
      }),
      { numRuns: 5_000 },
    );
    // Only the whole text: a secret beside an id or a time is still found.
    for (const text of ['0193a1f2-4b5c-7d6e-8f90-a1b2c3d4e5f0 password=CanaryHunter22', '2026-01-20T10:00:00Z 555-123-4567', '0193A1F2-4B5C-7D6E-8F90-A1B2C3D4E5F0']) {
      expect(CANONICAL_CLEAN.test(text), text).toBe(false);
      expect(new Redactor(HOME).redactText(text)).toBe(everyDetector(text));
    }
  });

  it('still masks the home dir by value in a text with no clue', () => {
    const redactor = new Redactor('srvhome');
    expect(redactor.redactText('cd srvhome now')).toBe('cd [REDACTED:path_absolute:home_dir] now');
  });
});
