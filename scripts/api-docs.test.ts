import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHANNEL_REFERENCE } from '../src-shared/api-reference';
import { CHANNELS, CHANNEL_NAMES, PUSH_EVENTS } from '../src-shared/ipc';
import { API_DOC_PATH, curlExample, renderApiDocs } from './api-docs';

describe('docs/api.md', () => {
  it('is exactly what the contract renders to (run `npm run api-docs` after changing src-shared/ipc.ts)', () => {
    expect(fs.readFileSync(API_DOC_PATH, 'utf8')).toBe(renderApiDocs());
  });

  it('has a section with a curl example for every channel and a section for every push event', () => {
    const doc = renderApiDocs();
    for (const channel of CHANNEL_NAMES) {
      expect(doc).toContain(`### \`${channel}\``);
      expect(doc).toContain(curlExample(channel));
    }
    for (const name of Object.keys(PUSH_EVENTS)) expect(doc).toContain(`### \`${name}\``);
  });

  it('shows only examples the contract accepts, quotable for the shell', () => {
    for (const channel of CHANNEL_NAMES) {
      const parsed = CHANNELS[channel].input.safeParse(CHANNEL_REFERENCE[channel].example);
      expect(parsed.success, `${channel}: ${parsed.error?.message}`).toBe(true);
      expect(JSON.stringify(CHANNEL_REFERENCE[channel].example)).not.toContain("'");
    }
  });
});
