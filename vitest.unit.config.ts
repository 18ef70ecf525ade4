import { defineConfig } from 'vitest/config';

// Unit tests only: no emulators, no global setup. `npm test` uses vitest.config.ts.
export default defineConfig({
  test: {
    include: [
      'lambdas/**/*.test.ts',
      'local/**/*.test.ts',
      'scripts/**/*.test.ts',
      'test/architecture/**/*.test.ts',
    ],
    exclude: ['node_modules/**', 'cdk.out/**'],
    testTimeout: 30_000,
  },
});
