import { afterAll, beforeAll, inject } from 'vitest';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/runtime';
import type { CfnTemplate } from '../../local/template';

declare module 'vitest' {
  export interface ProvidedContext {
    template: CfnTemplate;
  }
}

export interface UseLocalStackOptions extends Omit<LocalStackOptions, 'template'> {
  /**
   * A stack of its own, stopped after the file: for tests that judge the whole tables (global counters,
   * the overview, recounts), which another file's data or background work would disturb.
   */
  readonly fresh?: boolean;
}

/**
 * The stack this test worker keeps: integration files run one after another in a worker that keeps its
 * modules (`isolate: false`), so the next file asking for the same options gets the same running stack
 * instead of booting everything again. Each test isolates its data by unique ids. A file asking for other
 * options stops the kept stack first, so at most one runs per worker. With `console: {}` it also serves the
 * admin console (`.current.consoleUrl`, built first when stale) with the local OpenID provider
 * (`.current.oidcIssuer`) and the API's CORS origin set to the console's.
 */
let kept: { key: string; stack: Promise<LocalStack> } | undefined;

/** Function settings for tests that provoke failures on purpose: only errors are logged, no metrics written. */
export const QUIET_ENV = { POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' };

const start = (options: Omit<LocalStackOptions, 'template'>) =>
  startLocalStack({
    ...options,
    template: inject('template'),
    env: { POWERTOOLS_LOG_LEVEL: 'WARN', ...options.env },
  });

const releaseKept = async () => {
  const previous = kept;
  kept = undefined;
  if (previous) await (await previous.stack).stop();
};

/** The local stack (emulators, resources from the template, functions, front door) for a test file. Read `.current`. */
export const useLocalStack = ({ fresh = false, ...options }: UseLocalStackOptions = {}) => {
  const holder: { current: LocalStack } = { current: undefined as unknown as LocalStack };
  beforeAll(
    async () => {
      const key = JSON.stringify(options);
      if (fresh) {
        await releaseKept();
        holder.current = await start(options);
        return;
      }
      if (kept?.key !== key) {
        await releaseKept();
        kept = { key, stack: start(options) };
      }
      holder.current = await kept.stack;
    },
    // A stale console is built first (a Vite build), and its template synthesized for its origin.
    options.console ? 240_000 : undefined,
  );
  afterAll(async () => {
    if (fresh) await holder.current?.stop();
  });
  return holder;
};
