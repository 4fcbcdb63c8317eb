import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['eslint.worlds.test.ts', 'src-shared/**/*.test.ts', 'src-main/**/*.test.ts', 'src-renderer/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    globalSetup: ['src-main/hosts/electron/testing/built-app.global-setup.ts'],
  },
});
