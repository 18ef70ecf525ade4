import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const emulatorBacked = [
  'test/integration/**/*.test.ts',
  'test/e2e/**/*.test.ts',
  'test/browser/**/*.test.ts',
];

export default defineConfig({
  // The admin console's `@/` imports (web/src), for its component tests.
  resolve: { alias: { '@': fileURLToPath(new URL('./web/src', import.meta.url)) } },
  test: {
    exclude: ['node_modules/**', 'cdk.out/**', 'web/dist/**'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most files wait on emulators and pollers rather than compute, so two workers fit a two-core machine
    // (vitest's default would leave one core's worth to the main process, which mostly waits too).
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit+infra',
          include: ['**/*.test.ts', 'web/**/*.test.tsx'],
          exclude: [...emulatorBacked, 'node_modules/**', 'cdk.out/**', 'web/dist/**'],
        },
      },
      {
        // One worker runs its files one after another with the modules (and the local stack) it loaded:
        // see test/support/local-stack.ts.
        extends: true,
        test: { name: 'emulators', include: emulatorBacked, isolate: false },
      },
    ],
  },
});
