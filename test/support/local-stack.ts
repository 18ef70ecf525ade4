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
 * file, and stops it afterwards. Read `.current` inside tests.
 */
export const useLocalStack = (options: Omit<LocalStackOptions, 'template'> = {}) => {
  const holder: { current: LocalStack } = { current: undefined as unknown as LocalStack };
  beforeAll(async () => {
    holder.current = await startLocalStack({
      ...options,
      template: inject('template'),
      env: { POWERTOOLS_LOG_LEVEL: 'WARN', ...options.env },
    });
  });
  afterAll(async () => {
    await holder.current?.stop();
  });
  return holder;
};
