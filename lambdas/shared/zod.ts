/**
 * zod for the functions: its small build (`zod/mini`), set up once. Every module under `lambdas/` imports zod
 * from here (`import * as z from '../shared/zod'`), never from 'zod', so that:
 * - a bundle holds only the zod functions it calls: the full build (about 450 KB, compiled at every cold
 *   start) was most of each function's own start-up cost;
 * - the messages are the English ones the full build sets up by itself, whichever module parses first;
 * - schemas run without generated code (`jitless`): zod would otherwise compile each object schema with
 *   `new Function` on its first parse, which a Lambda pays on every cold start and never earns back over a
 *   few parses per container (the per-row checks of the ingest use no schema).
 */
import { coerce, config, int, maximum, minimum, number } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config({ ...en(), jitless: true });

export * from 'zod/mini';

/**
 * A whole number from `min` to `max`, every failure (not a number, a fraction, out of range) explained by the
 * same `message`; `coerced` for a value that arrives as text (a query string).
 */
export const wholeNumberIn = (min: number, max: number, message: string, { coerced = false } = {}) =>
  (coerced ? coerce.number : number)({ error: message }).check(
    int({ error: message }),
    minimum(min, { error: message }),
    maximum(max, { error: message }),
  );
