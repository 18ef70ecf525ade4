import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import type { Env } from './env';
import { addLambdaContext, withLoggersOf } from './logger';

type Handler<E, R> = (event: E, context: Context) => Promise<R>;

/**
 * What every Lambda entry (`functions/<fn>/index.ts`) builds its handler with: the invocation's context on
 * every log line of the loggers the handler made while being built, and a Powertools Tracer subsegment per
 * invocation (cold start and service annotated, the error recorded) under the X-Ray segment Lambda opens.
 * The handler itself stays a plain function, which the local runtime and the tests call directly.
 */
export const lambdaEntry = <E, R>(env: Env, build: () => Handler<E, R>): Handler<E, R> => {
  const tracer = new Tracer({ serviceName: env.POWERTOOLS_SERVICE_NAME ?? 'proleads' });
  const { built: handler, loggers } = withLoggersOf(build);
  return async (event, context) => {
    addLambdaContext(loggers, context);
    const segment = tracer.getSegment();
    const subsegment = segment?.addNewSubsegment(`## ${env._HANDLER ?? 'handler'}`);
    if (subsegment) tracer.setSegment(subsegment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    try {
      return await handler(event, context);
    } catch (error) {
      tracer.addErrorAsMetadata(error as Error);
      throw error;
    } finally {
      if (subsegment && segment) {
        subsegment.close();
        tracer.setSegment(segment);
      }
    }
  };
};
