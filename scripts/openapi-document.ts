import * as z from 'zod/mini';
import { ROUTES, type RouteAuth, type RouteSpec } from '../lambdas/api-routes';

/**
 * The OpenAPI 3 document of the API, generated from `ROUTES` and the zod schemas the handlers validate
 * with. `npm run openapi` writes it to `docs/openapi.json`; the public API serves that file at
 * `/openapi.json`, and a test fails when the file and this generator disagree.
 *
 * OpenAPI 3.0 rather than 3.1: API Gateway imports and exports 3.0, so one document fits both. The schemas are
 * converted by zod's own JSON Schema generator (OpenAPI 3.0 dialect), which reads the small build's schemas the
 * functions are written with. A schema with an `id` in its metadata becomes a component, referenced by `$ref`;
 * every other schema is written inline where it is used.
 */

/** Where the committed document lives, relative to the repository root. */
export const OPENAPI_DOCUMENT_FILE = 'docs/openapi.json';

/** `details` of a request that failed validation: each invalid field (`path` is dotted, '' for the whole). */
export const FieldIssuesSchema = z
  .array(z.strictObject({ path: z.string(), message: z.string() }))
  .check(z.meta({ id: 'FieldIssues' }));

/** `details` of a refused schedule: each invalid field of the schedule. */
export const ScheduleErrorsSchema = z
  .strictObject({ errors: z.array(z.strictObject({ field: z.string(), message: z.string() })) })
  .check(z.meta({ id: 'ScheduleErrors' }));

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
  .check(z.meta({ id: 'HandoffRefusal' }));

/** Every error answer of the API: ours (`toErrorResponse`) and API Gateway's own (its gateway responses). */
export const ErrorBodySchema = z
  .strictObject({
    error: z.string().check(z.meta({ example: 'BadRequest' })),
    message: z
      .string()
      .check(z.meta({ example: 'Invalid query string: limit: must be a whole number from 1 to 100' })),
    details: z
      .optional(z.union([FieldIssuesSchema, ScheduleErrorsSchema, HandoffRefusalSchema]))
      .check(z.meta({ description: 'what exactly is wrong, when there is more to say than the message' })),
  })
  .check(z.meta({ id: 'Error' }));

type Json = Record<string, unknown>;

/**
 * How every schema is converted. zod spells out what the document says another way, and the document keeps
 * the shorter spelling: a whole number's bounds are only written when the schema sets them (zod writes the
 * safe-integer range otherwise), and a named format (`date-time`, `email`, ...) is not repeated as zod's regex.
 */
const CONVERSION = {
  target: 'openapi-3.0',
  unrepresentable: 'any',
  override: ({ jsonSchema }: { jsonSchema: Json }) => {
    if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
    if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
    if (typeof jsonSchema.format === 'string') delete jsonSchema.pattern;
    // One condition under allOf (left by the override above, or a lone check) is that condition itself.
    const allOf = jsonSchema.allOf as Json[] | undefined;
    if (allOf?.length === 1 && allOf[0] && !('$ref' in allOf[0])) {
      delete jsonSchema.allOf;
      Object.assign(jsonSchema, allOf[0], jsonSchema);
    }
  },
} as const;

const withoutDialect = ({ $id: _id, $schema: _dialect, ...json }: Json): Json => json;
type Schema = z.core.$ZodType;
/** Requests are described by what they accept (defaults optional), answers by what they give. */
type Direction = 'input' | 'output';

const COMPONENT_REF = '#/components/schemas/';
/** The id under which a schema without one of its own is converted, then written inline. */
const INLINE_PREFIX = '__inline';

const SECURITY: Record<RouteAuth, Record<string, string[]>[]> = {
  admin: [{ adminJwt: [] }],
  member: [{ memberJwt: [] }],
  // Both together: the key meters AutoMailer (usage plan), the assertion proves it is AutoMailer.
  partner: [{ partnerApiKey: [], partnerAssertion: [] }],
  public: [],
};

const platformJwt = (role: string) => ({
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
  description: `An access token of the main Proleads platform (typ at+jwt) whose role claim is ${role}`,
});

const SECURITY_SCHEMES = {
  adminJwt: platformJwt('admin'),
  memberJwt: platformJwt('member'),
  partnerApiKey: {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
    description: "AutoMailer's usage-plan API key (rate, burst and daily quota)",
  },
  partnerAssertion: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      "A single-use client assertion signed with AutoMailer's registered key (see docs/automailer.md)",
  },
};

/**
 * The schemas of one document, converted together so that a schema with an `id` is one component however
 * often it is used. `use` hands out a `$ref` marker at once; `convert` turns every marker into the component's
 * `$ref` or, for a schema without an id, into its JSON Schema.
 */
class DocumentSchemas {
  private readonly named = new Map<Schema, string>();
  private readonly inline: Record<Direction, Map<Schema, string>> = { input: new Map(), output: new Map() };

  constructor() {
    for (const [id, schema] of z.globalRegistry._idmap) this.named.set(schema, id);
  }

  use(schema: Schema, direction: Direction): Json {
    const id = this.named.get(schema);
    if (id) return { $ref: `${COMPONENT_REF}${id}` };
    const inline = this.inline[direction];
    const placeholder = inline.get(schema) ?? `${INLINE_PREFIX}${direction}${inline.size}`;
    inline.set(schema, placeholder);
    return { $ref: `${COMPONENT_REF}${placeholder}` };
  }

  private convertAll(direction: Direction): Record<string, Json> {
    const registry = z.registry<{ id: string }>();
    for (const [schema, id] of this.named) registry.add(schema, { id });
    for (const [schema, id] of this.inline[direction]) registry.add(schema, { id });
    const { schemas } = z.toJSONSchema(registry, {
      ...CONVERSION,
      io: direction,
      uri: (id) => `${COMPONENT_REF}${id}`,
    });
    return Object.fromEntries(
      Object.entries(schemas).map(([id, json]) => [id, withoutDialect(json as Json)]),
    );
  }

  /** The document with every marker resolved, and the components the paths reference (directly or not). */
  convert<T>(document: T): { document: T; components: Record<string, Json> } {
    const converted = { input: this.convertAll('input'), output: this.convertAll('output') };
    const components: Record<string, Json> = {};
    const resolve = (node: unknown, direction: Direction): unknown => {
      if (Array.isArray(node)) return node.map((item) => resolve(item, direction));
      if (node === null || typeof node !== 'object') return node;
      const ref = (node as Json).$ref;
      if (typeof ref === 'string' && ref.startsWith(COMPONENT_REF)) {
        const id = ref.slice(COMPONENT_REF.length);
        const json = converted[direction][id];
        if (!json) throw new Error(`no schema converted for ${id}`);
        if (id.startsWith(INLINE_PREFIX)) return resolve(json, direction);
        // A component is one schema for requests and answers alike, so it must read the same both ways.
        if (JSON.stringify(json) !== JSON.stringify(converted.output[id]))
          throw new Error(`component ${id} accepts other values than it gives: give its input its own id`);
        if (!(id in components)) {
          components[id] = {}; // claimed first: a schema that refers to itself ends here
          components[id] = resolve(json, 'output') as Json;
        }
        return node;
      }
      const resolved: Json = Object.fromEntries(
        Object.entries(node).map(([key, value]) => [
          key,
          // A request's schemas describe what the route accepts; everything else what it answers.
          resolve(value, key === 'requestBody' || key === 'parameters' ? 'input' : direction),
        ]),
      );
      // OpenAPI 3.0 wants a type beside `nullable`: a nullable reference takes its component's.
      const wrapped = (resolved.allOf as Json[] | undefined)?.[0]?.$ref;
      if (resolved.nullable === true && resolved.type === undefined && typeof wrapped === 'string')
        resolved.type = converted.output[wrapped.slice(COMPONENT_REF.length)]?.type;
      return resolved;
    };
    const resolved = resolve(document, 'output') as T;
    const sorted = Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b)));
    return { document: resolved, components: sorted };
  }
}

/** A path or query object's fields, one parameter each, as the route accepts them. */
const parameters = (where: 'path' | 'query', object: z.ZodMiniObject | undefined) => {
  if (!object) return [];
  const json = withoutDialect(z.toJSONSchema(object, { ...CONVERSION, io: 'input' }) as Json);
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries((json.properties ?? {}) as Record<string, Json>).map(([name, schema]) => ({
    schema,
    required: required.has(name),
    ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
    name,
    in: where,
  }));
};

const errorAnswer = (schemas: DocumentSchemas, description: string) => ({
  description,
  content: { 'application/json': { schema: schemas.use(ErrorBodySchema, 'output') } },
});

/** The error answers a route can give, from what it takes and who may call it. */
const errorAnswers = (schemas: DocumentSchemas, route: RouteSpec) => {
  const { request } = route;
  const takesInput = Boolean(request?.params || request?.query || request?.body);
  const answers: Record<string, Json> = {};
  const answer = (status: number, description: string) => {
    answers[status] = errorAnswer(schemas, description);
  };
  if (takesInput) answer(400, 'Malformed JSON, or a path, query or body that fails validation');
  if (route.auth !== 'public') {
    answer(401, 'No credential, or one that is invalid or expired');
    answer(
      403,
      route.auth === 'partner'
        ? 'No valid API key, not AutoMailer, or the member has not linked AutoMailer (`not_linked`)'
        : 'The credential may not call this route',
    );
  }
  if (request?.params || route.auth === 'member' || route.auth === 'partner')
    answer(404, 'No such item (or member)');
  if (route.conflictWhen) answer(409, route.conflictWhen);
  if (request?.body) {
    answer(413, 'The body is too large');
    answer(415, 'The body is in a media type the route does not read');
  }
  answer(429, 'Too many requests: the rate limit (or a usage-plan quota) was exceeded');
  answer(500, 'An error on our side; it has been logged');
  return answers;
};

const successAnswer = (
  schemas: DocumentSchemas,
  { description, body, contentType }: RouteSpec['response'],
): Json => {
  if (!body && !contentType) return { description: description ?? 'No content' };
  return {
    description: description ?? 'OK',
    content: {
      [contentType ?? 'application/json']: {
        schema: body ? schemas.use(body, 'output') : { type: 'string' },
      },
    },
  };
};

const operationId = (route: RouteSpec) =>
  `${route.method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, next: string | undefined) => (next ?? '').toUpperCase())}`;

const operation = (schemas: DocumentSchemas, route: RouteSpec): Json => {
  const { request } = route;
  const params = [...parameters('path', request?.params), ...parameters('query', request?.query)];
  const body = request?.body && {
    required: !request.bodyOptional,
    content: {
      'application/json': { schema: schemas.use(request.body, 'input') },
      ...(request.alternativeBody
        ? {
            [request.alternativeBody.contentType]: {
              schema: { type: 'string', description: request.alternativeBody.description },
            },
          }
        : {}),
    },
  };
  return {
    summary: route.summary,
    operationId: operationId(route),
    tags: [route.auth],
    security: SECURITY[route.auth],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: {
      [route.response.status]: successAnswer(schemas, route.response),
      ...Object.fromEntries(
        (route.otherResponses ?? []).map((answer) => [answer.status, successAnswer(schemas, answer)]),
      ),
      ...errorAnswers(schemas, route),
    },
  };
};

export const generateOpenApiDocument = (routes: readonly RouteSpec[] = ROUTES) => {
  const schemas = new DocumentSchemas();
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, Json>)[route.method.toLowerCase()] = operation(schemas, route);
  }
  const { document, components } = schemas.convert(paths);
  return {
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
    components: { securitySchemes: SECURITY_SCHEMES, schemas: components },
    paths: document,
  };
};

/** The document as committed: stable key order, two-space indent, final newline. */
export const renderOpenApiDocument = (): string => `${JSON.stringify(generateOpenApiDocument(), null, 2)}\n`;
