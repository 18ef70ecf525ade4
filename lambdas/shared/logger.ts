import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { Env } from './env';

export type { Logger };

/** While a Lambda entry builds its handler: the loggers the handler makes, to be given each invocation's context. */
let collecting: Logger[] | undefined;

/**
 * One structured JSON logger per function. Callers log ids, counts and `emailTag(...)` values only:
 * never an email address, a token, an API key, a hand-off code or a presigned URL.
 */
export const createLogger = (env: Env): Logger => {
  const logger = new Logger({
    serviceName: env.POWERTOOLS_SERVICE_NAME ?? 'proleads',
    logLevel: (env.POWERTOOLS_LOG_LEVEL ?? env.LOG_LEVEL ?? 'INFO') as 'INFO',
    persistentKeys: { stage: env.STAGE_NAME ?? 'local' },
  });
  collecting?.push(logger);
  return logger;
};

/** Builds a handler and returns, with it, every logger it made while being built. */
export const withLoggersOf = <T>(build: () => T): { built: T; loggers: readonly Logger[] } => {
  const loggers: Logger[] = [];
  collecting = loggers;
  try {
    return { built: build(), loggers };
  } finally {
    collecting = undefined;
  }
};

/** Puts the Lambda context (request id, function name and version, cold start) on the loggers' next lines. */
export const addLambdaContext = (loggers: readonly Logger[], context: Context): void => {
  for (const logger of loggers) logger.addContext(context);
};
