import * as z from '../../shared/zod';

/** The public API's answers (see admin-api/schemas.ts for why schemas live in a module of their own). */

export const JwksSchema = z.strictObject({
  keys: z.array(
    z.strictObject({
      kty: z.literal('EC'),
      crv: z.literal('P-256'),
      x: z.string(),
      y: z.string(),
      kid: z.string(),
      alg: z.literal('ES256'),
      use: z.literal('sig'),
    }),
  ),
});

/**
 * A JSON Schema (an OpenAPI 3.0 Schema Object) inside the document: any JSON object, said so explicitly.
 * It is the one free-form part of any answer, since the document describes every other answer.
 */
const SchemaObjectSchema = z
  .record(z.string(), z.unknown())
  .check(
    z.meta({ additionalProperties: true, description: 'an OpenAPI 3.0 Schema Object' } as Record<
      string,
      unknown
    >),
  );

const MediaTypesSchema = z.record(z.string(), z.strictObject({ schema: SchemaObjectSchema }));

const OperationSchema = z.strictObject({
  summary: z.string(),
  operationId: z.string(),
  tags: z.array(z.string()),
  security: z.array(z.record(z.string(), z.array(z.string()))),
  parameters: z.optional(
    z.array(
      z.strictObject({
        name: z.string(),
        in: z.enum(['path', 'query', 'header', 'cookie']),
        required: z.optional(z.boolean()),
        description: z.optional(z.string()),
        schema: SchemaObjectSchema,
      }),
    ),
  ),
  requestBody: z.optional(z.strictObject({ required: z.optional(z.boolean()), content: MediaTypesSchema })),
  responses: z.record(
    z.string(),
    z.strictObject({ description: z.string(), content: z.optional(MediaTypesSchema) }),
  ),
});

/** The API document: OpenAPI 3.0 as this API generates it (a test parses the generated one with this). */
export const OpenApiDocumentSchema = z
  .strictObject({
    openapi: z.string(),
    info: z.strictObject({
      title: z.string(),
      version: z.string(),
      description: z.optional(z.string()),
    }),
    servers: z.array(z.strictObject({ url: z.string() })),
    tags: z.array(z.strictObject({ name: z.string(), description: z.optional(z.string()) })),
    paths: z.record(z.string(), z.record(z.string(), OperationSchema)),
    components: z.strictObject({
      schemas: z.record(z.string(), SchemaObjectSchema),
      parameters: z.optional(z.record(z.string(), SchemaObjectSchema)),
      securitySchemes: z.record(
        z.string(),
        z.strictObject({
          type: z.enum(['http', 'apiKey']),
          scheme: z.optional(z.string()),
          bearerFormat: z.optional(z.string()),
          in: z.optional(z.enum(['header', 'query', 'cookie'])),
          name: z.optional(z.string()),
          description: z.optional(z.string()),
        }),
      ),
    }),
  })
  .check(z.meta({ description: 'this document' }));
