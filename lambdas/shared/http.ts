import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import {
  BadRequestError,
  HttpError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from './errors';
import type { Logger } from './logger';
import * as z from './zod';

/** Who called: set by the authorizer in front of the route. */
export interface Principal {
  readonly sub: string;
  readonly role: string;
}

export interface ApiRequest {
  readonly event: APIGatewayProxyEvent;
  readonly principal: Principal | undefined;
}

export type RouteHandler = (request: ApiRequest) => Promise<APIGatewayProxyResult>;

export interface ResponseOptions {
  readonly headers?: Record<string, string>;
}

export const json = (
  statusCode: number,
  body: unknown,
  options: ResponseOptions = {},
): APIGatewayProxyResult => ({
  statusCode,
  headers: { 'Content-Type': 'application/json; charset=utf-8', ...options.headers },
  body: JSON.stringify(body),
});

/** The one error-to-response mapper: named errors keep their status; anything else is an opaque 500. */
export const toErrorResponse = (error: unknown, logger: Logger): APIGatewayProxyResult => {
  if (error instanceof HttpError) {
    if (error.statusCode >= 500) logger.error('request failed', { error });
    return json(error.statusCode, {
      error: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    });
  }
  logger.error('unhandled error', { error });
  return json(500, {
    error: 'InternalError',
    message: 'Something went wrong on our side; it has been logged.',
  });
};

const describeIssues = (error: z.core.$ZodError) =>
  error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));

const parseWith = <S extends z.core.$ZodType>(schema: S, value: unknown, what: string): z.infer<S> => {
  const result = z.safeParse(schema, value);
  if (!result.success) {
    const issues = describeIssues(result.error);
    const first = issues[0];
    throw new BadRequestError(
      `Invalid ${what}${first ? `: ${first.path ? `${first.path}: ` : ''}${first.message}` : ''}`,
      issues,
    );
  }
  return result.data;
};

/** Every JSON body of this API is a few hundred bytes; anything far larger is refused before parsing. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

/** A request header by name, whatever case the client (or API Gateway) gave it. */
export const headerOf = (event: APIGatewayProxyEvent, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  return Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === wanted)?.[1] ?? undefined;
};

/** The media type of a Content-Type header, lower-cased, without parameters (`; charset=...`). */
export const mediaTypeOf = (event: APIGatewayProxyEvent): string | undefined =>
  headerOf(event, 'content-type')?.split(';')[0]?.trim().toLowerCase() || undefined;

export const isJsonMediaType = (mediaType: string): boolean =>
  /^application\/([\w.-]+\+)?json$/.test(mediaType);

/** fetch() labels a string body text/plain unless told otherwise, so that is read as JSON too. */
const readsAsJson = (mediaType: string | undefined) =>
  mediaType === undefined || mediaType === 'text/plain' || isJsonMediaType(mediaType);

export const bodyText = (event: APIGatewayProxyEvent): string =>
  !event.body ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;

/**
 * The body as JSON, validated: 415 for a declared media type that cannot be JSON (form, multipart, CSV...),
 * 413 past `MAX_JSON_BODY_BYTES`, 400 for bad JSON or a schema mismatch.
 */
export const parseJsonBody = <S extends z.core.$ZodType>(
  schema: S,
  event: APIGatewayProxyEvent,
): z.infer<S> => {
  const mediaType = mediaTypeOf(event);
  if (!readsAsJson(mediaType)) {
    throw new UnsupportedMediaTypeError(`The body must be application/json, not ${mediaType}`);
  }
  const text = bodyText(event);
  if (Buffer.byteLength(text) > MAX_JSON_BODY_BYTES) {
    throw new PayloadTooLargeError(`The body may be at most ${MAX_JSON_BODY_BYTES} bytes`);
  }
  if (!text) return parseWith(schema, undefined, 'body: a JSON body is required');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadRequestError('The body is not valid JSON');
  }
  return parseWith(schema, value, 'body');
};

export const parseQuery = <S extends z.core.$ZodType>(schema: S, event: APIGatewayProxyEvent): z.infer<S> =>
  parseWith(schema, event.queryStringParameters ?? {}, 'query string');

export const parsePathParameters = <S extends z.core.$ZodType>(
  schema: S,
  event: APIGatewayProxyEvent,
): z.infer<S> => parseWith(schema, event.pathParameters ?? {}, 'path');

const principalOf = (event: APIGatewayProxyEvent): Principal | undefined => {
  const context = event.requestContext?.authorizer as Record<string, unknown> | null | undefined;
  const sub = context?.sub;
  const role = context?.role;
  return typeof sub === 'string' && typeof role === 'string' ? { sub, role } : undefined;
};

export interface RouterOptions {
  readonly logger: Logger;
  /** Headers added to every answer, e.g. the CORS origin of the admin console. */
  readonly headers?: Record<string, string>;
}

/**
 * An API function's entry: picks the handler by API Gateway's resource template (`GET /admin/uploads/{id}`),
 * so path matching stays API Gateway's job, and maps every failure through `toErrorResponse`.
 */
export const createRouter = (routes: Readonly<Record<string, RouteHandler>>, options: RouterOptions) =>
  Object.assign(
    async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
      const key = `${event.httpMethod} ${event.resource}`;
      let response: APIGatewayProxyResult;
      try {
        const route = routes[key];
        if (!route) throw new NotFoundError(`No route ${key}`);
        response = await route({ event, principal: principalOf(event) });
      } catch (error) {
        response = toErrorResponse(error, options.logger);
      }
      options.logger.info('request', {
        route: key,
        statusCode: response.statusCode,
        requestId: event.requestContext?.requestId,
      });
      return { ...response, headers: { ...options.headers, ...response.headers } };
    },
    // What it serves, so a test can hold it against ROUTES (both ways) without a request per route.
    { routeKeys: Object.keys(routes) },
  );
