import { defineConfig } from 'vitest/config';

// Vitest gets its own config: vite.config.ts has root apps/web and would hide the other workspaces' tests.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 15_000,
    hookTimeout: 15_000,
  },
});
