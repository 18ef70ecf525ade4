import type { z } from 'zod';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Validates a function's environment once, at start-up. The error names each bad variable, so a
 * misconfigured deployment fails loudly on its first cold start instead of on some later request.
 */
export const readEnv = <S extends z.ZodType>(schema: S, env: Env): z.infer<S> => {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment: ${problems.join('; ')}`);
  }
  return result.data;
};
