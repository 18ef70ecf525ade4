import { TABLE_ENV, type TableName } from '../contracts/env';
import * as z from './zod';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Validates a function's environment once, at start-up. The error names each bad variable, so a
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
