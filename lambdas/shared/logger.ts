import { Logger } from '@aws-lambda-powertools/logger';
import type { Env } from './env';

export type { Logger };

/**
 * One structured JSON logger per function. Callers log ids, counts and `emailTag(...)` values only:
 * never an email address, a token, an API key, a hand-off code or a presigned URL.
 */
export const createLogger = (env: Env): Logger =>
  new Logger({
    serviceName: env.POWERTOOLS_SERVICE_NAME ?? 'proleads',
    logLevel: (env.POWERTOOLS_LOG_LEVEL ?? env.LOG_LEVEL ?? 'INFO') as 'INFO',
    persistentKeys: { stage: env.STAGE_NAME ?? 'local' },
  });
