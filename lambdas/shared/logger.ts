import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { Env } from './env';

export type { Logger };

/** Every logger the function made; the Lambda entry gives each the invocation's context. */
const loggers = new Set<Logger>();

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
  loggers.add(logger);
  return logger;
};

/** Puts the Lambda context (request id, function name and version, cold start) on every following log line. */
export const addLambdaContext = (context: Context): void => {
  for (const logger of loggers) logger.addContext(context);
};
