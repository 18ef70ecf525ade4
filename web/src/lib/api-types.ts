import type { components, paths } from './api-schema';

type Method = 'get' | 'post' | 'put' | 'delete';

/** The JSON body of one answer of one route, as the API document describes it. */
export type ResponseBody<
  Path extends keyof paths,
  M extends Method,
  Status extends number = 200,
> = paths[Path][M] extends { responses: infer Responses }
  ? Status extends keyof Responses
    ? Responses[Status] extends { content: { 'application/json': infer Body } }
      ? Body
      : never
    : never
  : never;

/** The JSON body a route takes. */
export type RequestBody<Path extends keyof paths, M extends Method> = paths[Path][M] extends {
  requestBody?: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;

export type Schemas = components['schemas'];
