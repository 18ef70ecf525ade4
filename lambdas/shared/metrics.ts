import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, serviceOf } from '../contracts/metrics';
import type { Env } from './env';

/**
 * The app's one Powertools Metrics setup: CloudWatch EMF lines on stdout, in the app's namespace, with the
 * function's `service` dimension (both set in the environment by ProleadsFunction). Undefined when the given
 * environment says POWERTOOLS_METRICS_DISABLED=true: tests and the local runtime pass their environment
 * here rather than through process.env, where Powertools itself would look.
 */
export const createMetrics = (env: Env, folder: string): Metrics | undefined => {
  if (env.POWERTOOLS_METRICS_DISABLED === 'true') return undefined;
  return new Metrics({
    namespace: env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
    serviceName: env.POWERTOOLS_SERVICE_NAME ?? serviceOf(folder),
  });
};
