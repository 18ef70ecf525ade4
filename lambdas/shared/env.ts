import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { TABLE_ENV, type TableName } from '../contracts/env';

// zod's small build (tree-shaken, no methods on every schema): a function whose only schemas are its
// environment's, like the authorizers, then bundles none of zod's full build, which was most of its cold start.
// Its messages are the English ones the full build sets up by itself.
z.config(en());

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Validates a function's environment once, at start-up (any zod schema, full or small build). The error names each bad variable, so a
 * misconfigured deployment fails loudly on its first cold start instead of on some later request.
 */
export const readEnv = <S extends z.core.$ZodType>(schema: S, env: Env): z.infer<S> => {
  const result = z.safeParse(schema, env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment: ${problems.join('; ')}`);
  }
  return result.data;
};

/** The names of the tables a function uses, from the `TABLE_*` variables the CDK app sets (`contracts/env.ts`). */
export const tablesFromEnv = <N extends TableName>(env: Env, ...names: N[]): Record<N, string> => {
  const schema = z.object(
    Object.fromEntries(names.map((name) => [TABLE_ENV[name], z.string().check(z.minLength(3))])),
  );
  const parsed = readEnv(schema, env) as Record<string, string>;
  return Object.fromEntries(names.map((name) => [name, parsed[TABLE_ENV[name]]])) as Record<N, string>;
};
