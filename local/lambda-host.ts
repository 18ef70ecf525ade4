import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { LocalResources } from './resources';
import type { CfnTemplate } from './template';

const lambdasDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../lambdas/functions');

type Handler = (event: unknown, context: Context) => Promise<unknown>;
type HandlerFactory = (env: Record<string, string>) => Handler;

export interface LambdaHost {
  /** Invokes a function of the template by logical id, as Lambda would: one event, a fresh context. */
  invoke(logicalId: string, event: unknown): Promise<unknown>;
  /** The logical ids of the functions whose code lives in `lambdas/functions/<folder>`. */
  functionsOf(folder: string): string[];
}

/**
 * Runs the template's functions in this process. Each function gets the environment its template entry
 * declares (intrinsics resolved to the emulators) and is created on first use, like a cold start, from
 * `lambdas/functions/<folder>/handler.ts`'s `createHandler(env)`; the Lambda entry `index.ts` is the same call with
 * `process.env`.
 */
export const createLambdaHost = (
  template: CfnTemplate,
  resources: LocalResources,
  envOverrides: Record<string, string> = {},
): LambdaHost => {
  const handlers = new Map<string, Promise<Handler>>();
  const folderOf = (logicalId: string) => {
    const folder = template.Resources[logicalId]?.Metadata?.['proleads:function'];
    if (typeof folder !== 'string') throw new Error(`No Proleads function ${logicalId} in the template`);
    return folder;
  };
  const load = (logicalId: string): Promise<Handler> => {
    let handler = handlers.get(logicalId);
    if (!handler) {
      const entry = pathToFileURL(path.join(lambdasDir, folderOf(logicalId), 'handler.ts')).href;
      handler = import(entry).then((module: { createHandler: HandlerFactory }) =>
        module.createHandler(resources.functionEnv(logicalId, envOverrides)),
      );
      handlers.set(logicalId, handler);
    }
    return handler;
  };
  const timeoutMs = (logicalId: string) =>
    Number((template.Resources[logicalId]?.Properties as { Timeout?: number } | undefined)?.Timeout ?? 3) *
    1000;

  return {
    async invoke(logicalId, event) {
      const handler = await load(logicalId);
      const deadline = Date.now() + timeoutMs(logicalId);
      const context = {
        callbackWaitsForEmptyEventLoop: false,
        functionName: logicalId,
        functionVersion: '$LATEST',
        invokedFunctionArn: resources.byLogicalId.get(logicalId)?.arn ?? logicalId,
        memoryLimitInMB: '512',
        awsRequestId: randomUUID(),
        logGroupName: `/aws/lambda/${logicalId}`,
        logStreamName: 'local',
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
        done: () => undefined,
        fail: () => undefined,
        succeed: () => undefined,
      } satisfies Context;
      return handler(event, context);
    },
    functionsOf(folder) {
      return Object.entries(template.Resources)
        .filter(([, resource]) => resource.Metadata?.['proleads:function'] === folder)
        .map(([id]) => id);
    },
  };
};
