import { afterAll, beforeAll, inject } from 'vitest';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/runtime';
import type { CfnTemplate } from '../../local/template';

declare module 'vitest' {
  export interface ProvidedContext {
    template: CfnTemplate;
  }
}

/**
 * Starts the whole local stack (emulators, resources from the template, functions, front door) for a test
 * file, and stops it afterwards. Read `.current` inside tests. With `console: {}` it also serves the admin
 * console (`.current.consoleUrl`, built first when stale) with the local OpenID provider
 * (`.current.oidcIssuer`) and the API's CORS origin set to the console's.
 */
export const useLocalStack = (options: Omit<LocalStackOptions, 'template'> = {}) => {
  const holder: { current: LocalStack } = { current: undefined as unknown as LocalStack };
  beforeAll(
    async () => {
      holder.current = await startLocalStack({
        ...options,
        template: inject('template'),
        env: { POWERTOOLS_LOG_LEVEL: 'WARN', ...options.env },
      });
    },
    // A stale console is built first (a Vite build), and its template synthesized for its origin.
    options.console ? 240_000 : undefined,
  );
  afterAll(async () => {
    await holder.current?.stop();
  });
  return holder;
};
