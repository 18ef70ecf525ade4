import {
  OpenAPIRegistry,
  OpenApiGeneratorV3,
  type ResponseConfig,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ROUTES, type RouteAuth, type RouteSpec } from '../lambdas/api-routes';

/**
 * The OpenAPI 3 document of the API, generated from `ROUTES` and the zod schemas the handlers validate
 * with. `npm run openapi` writes it to `docs/openapi.json`; the public API serves that file at
 * `/openapi.json`, and a test fails when the file and this generator disagree.
 *
 * OpenAPI 3.0 rather than 3.1: API Gateway imports and exports 3.0, so one document fits both.
 */

/** Where the committed document lives, relative to the repository root. */
export const OPENAPI_DOCUMENT_FILE = 'docs/openapi.json';

/** `details` of a request that failed validation: each invalid field (`path` is dotted, '' for the whole). */
export const FieldIssuesSchema = z
  .array(z.strictObject({ path: z.string(), message: z.string() }))
  .meta({ id: 'FieldIssues' });

/** `details` of a refused schedule: each invalid field of the schedule. */
export const ScheduleErrorsSchema = z
  .strictObject({ errors: z.array(z.strictObject({ field: z.string(), message: z.string() })) })
  .meta({ id: 'ScheduleErrors' });

/** `details` of a refused AutoMailer hand-off code (OAuth's invalid_grant, with the reason). */
export const HandoffRefusalSchema = z
  .strictObject({
    error: z.literal('invalid_grant'),
    reason: z.enum([
      'unknown_code',
      'already_used',
      'expired',
      'client_mismatch',
      'redirect_mismatch',
      'member_mismatch',
    ]),
  })
  .meta({ id: 'HandoffRefusal' });

/** Every error answer of the API: ours (`toErrorResponse`) and API Gateway's own (its gateway responses). */
export const ErrorBodySchema = z
  .strictObject({
    error: z.string().meta({ example: 'BadRequest' }),
    message: z
      .string()
      .meta({ example: 'Invalid query string: limit: must be a whole number from 1 to 100' }),
    details: z
      .union([FieldIssuesSchema, ScheduleErrorsSchema, HandoffRefusalSchema])
      .optional()
      .meta({ description: 'what exactly is wrong, when there is more to say than the message' }),
  })
  .meta({ id: 'Error' });

const SECURITY: Record<RouteAuth, Record<string, string[]>[]> = {
  admin: [{ adminJwt: [] }],
  member: [{ memberJwt: [] }],
  // Both together: the key meters AutoMailer (usage plan), the assertion proves it is AutoMailer.
  partner: [{ partnerApiKey: [], partnerAssertion: [] }],
  public: [],
};

const registerSecuritySchemes = (registry: OpenAPIRegistry) => {
  const platformJwt = (role: string) => ({
    type: 'http' as const,
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: `An access token of the main Proleads platform (typ at+jwt) whose role claim is ${role}`,
  });
  registry.registerComponent('securitySchemes', 'adminJwt', platformJwt('admin'));
  registry.registerComponent('securitySchemes', 'memberJwt', platformJwt('member'));
  registry.registerComponent('securitySchemes', 'partnerApiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
    description: "AutoMailer's usage-plan API key (rate, burst and daily quota)",
  });
  registry.registerComponent('securitySchemes', 'partnerAssertion', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      "A single-use client assertion signed with AutoMailer's registered key (see docs/automailer.md)",
  });
};

const errorAnswer = (description: string): ResponseConfig => ({
  description,
  content: { 'application/json': { schema: ErrorBodySchema } },
});

/** The error answers a route can give, from what it takes and who may call it. */
const errorAnswers = (route: RouteSpec): Record<string, ResponseConfig> => {
  const { request } = route;
  const takesInput = Boolean(request?.params || request?.query || request?.body);
  const answers: Record<string, ResponseConfig> = {};
  if (takesInput)
    answers[400] = errorAnswer('Malformed JSON, or a path, query or body that fails validation');
  if (route.auth !== 'public') {
    answers[401] = errorAnswer('No credential, or one that is invalid or expired');
    answers[403] = errorAnswer(
      route.auth === 'partner'
        ? 'No valid API key, not AutoMailer, or the member has not linked AutoMailer (`not_linked`)'
        : 'The credential may not call this route',
    );
  }
  if (request?.params || route.auth === 'member' || route.auth === 'partner')
    answers[404] = errorAnswer('No such item (or member)');
  if (route.conflictWhen) answers[409] = errorAnswer(route.conflictWhen);
  if (request?.body) {
    answers[413] = errorAnswer('The body is too large');
    answers[415] = errorAnswer('The body is in a media type the route does not read');
  }
  answers[429] = errorAnswer('Too many requests: the rate limit (or a usage-plan quota) was exceeded');
  answers[500] = errorAnswer('An error on our side; it has been logged');
  return answers;
};

const successAnswer = ({ description, body, contentType }: RouteSpec['response']): ResponseConfig => {
  if (!body && !contentType) return { description: description ?? 'No content' };
  const mediaType = contentType ?? 'application/json';
  return {
    description: description ?? 'OK',
    content: { [mediaType]: { schema: body ?? z.string() } },
  };
};

const routeConfig = (route: RouteSpec): RouteConfig => {
  const { request } = route;
  const body = request?.body && {
    required: !request.bodyOptional,
    content: {
      'application/json': { schema: request.body },
      ...(request.alternativeBody
        ? {
            [request.alternativeBody.contentType]: {
              schema: z.string().meta({ description: request.alternativeBody.description }),
            },
          }
        : {}),
    },
  };
  return {
    method: route.method.toLowerCase() as RouteConfig['method'],
    path: route.path,
    summary: route.summary,
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, next: string | undefined) => (next ?? '').toUpperCase())}`,
    tags: [route.auth],
    security: SECURITY[route.auth],
    request: {
      ...(request?.params ? { params: request.params } : {}),
      ...(request?.query ? { query: request.query } : {}),
      ...(body ? { body } : {}),
    },
    responses: {
      [route.response.status]: successAnswer(route.response),
      ...Object.fromEntries(
        (route.otherResponses ?? []).map((answer) => [answer.status, successAnswer(answer)]),
      ),
      ...errorAnswers(route),
    },
  };
};

export const generateOpenApiDocument = (routes: readonly RouteSpec[] = ROUTES) => {
  const registry = new OpenAPIRegistry();
  registerSecuritySchemes(registry);
  for (const route of routes) registry.registerPath(routeConfig(route));
  return new OpenApiGeneratorV3(registry.definitions, { sortComponents: 'alphabetically' }).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'Proleads lead pipeline API',
      version: '1',
      description:
        'Admin, member and AutoMailer routes of the Proleads lead pipeline. Errors are JSON { error, message, details }. ' +
        'Lists are paged: pass the nextCursor of a page as cursor.',
    },
    // Relative: the API's base URL (stage included) is wherever this document is served from.
    servers: [{ url: '.' }],
    tags: [
      { name: 'admin', description: 'Admin console: uploads, members, schedules, distributions' },
      { name: 'member', description: 'The signed-in member' },
      { name: 'partner', description: "AutoMailer's server" },
      { name: 'public', description: 'No credential' },
    ],
  });
};

/** The document as committed: stable key order, two-space indent, final newline. */
export const renderOpenApiDocument = (): string => `${JSON.stringify(generateOpenApiDocument(), null, 2)}\n`;
