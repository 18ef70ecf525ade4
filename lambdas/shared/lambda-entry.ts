import type { Context } from 'aws-lambda';
import { addLambdaContext, withLoggersOf } from './logger';

type Handler<E, R> = (event: E, context: Context) => Promise<R>;

/**
 * What every Lambda entry (`functions/<fn>/index.ts`) builds its handler with: the invocation's context on
 * every log line of the loggers the handler made while being built. The handler itself stays a plain
 * function, which the local runtime and the tests call directly.
 *
 * Tracing is Lambda's active tracing (set by the construct): X-Ray gets each invocation's segment with its
 * initialization (the cold start), duration and error or fault, with no code in the bundle. Powertools
 * Tracer added only a subsegment per invocation on top of that and cost about 40 ms of every cold start
 * (the X-Ray SDK and its async hooks), so it is not used.
 */
export const lambdaEntry = <E, R>(build: () => Handler<E, R>): Handler<E, R> => {
  const { built: handler, loggers } = withLoggersOf(build);
  return async (event, context) => {
    addLambdaContext(loggers, context);
    return handler(event, context);
  };
};
