import { z } from 'zod';

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
  .meta({ additionalProperties: true, description: 'an OpenAPI 3.0 Schema Object' } as Record<
    string,
    unknown
  >);

const MediaTypesSchema = z.record(z.string(), z.strictObject({ schema: SchemaObjectSchema }));

const OperationSchema = z.strictObject({
  summary: z.string(),
  operationId: z.string(),
  tags: z.array(z.string()),
  security: z.array(z.record(z.string(), z.array(z.string()))),
  parameters: z
    .array(
      z.strictObject({
        name: z.string(),
        in: z.enum(['path', 'query', 'header', 'cookie']),
        required: z.boolean().optional(),
        description: z.string().optional(),
        schema: SchemaObjectSchema,
      }),
    )
    .optional(),
  requestBody: z.strictObject({ required: z.boolean().optional(), content: MediaTypesSchema }).optional(),
  responses: z.record(
    z.string(),
    z.strictObject({ description: z.string(), content: MediaTypesSchema.optional() }),
  ),
});

/** The API document: OpenAPI 3.0 as this API generates it (a test parses the generated one with this). */
export const OpenApiDocumentSchema = z
  .strictObject({
    openapi: z.string(),
    info: z.strictObject({ title: z.string(), version: z.string(), description: z.string().optional() }),
    servers: z.array(z.strictObject({ url: z.string() })),
    tags: z.array(z.strictObject({ name: z.string(), description: z.string().optional() })),
    paths: z.record(z.string(), z.record(z.string(), OperationSchema)),
    components: z.strictObject({
      schemas: z.record(z.string(), SchemaObjectSchema),
      parameters: z.record(z.string(), SchemaObjectSchema).optional(),
      securitySchemes: z.record(
        z.string(),
        z.strictObject({
          type: z.enum(['http', 'apiKey']),
          scheme: z.string().optional(),
          bearerFormat: z.string().optional(),
          in: z.enum(['header', 'query', 'cookie']).optional(),
          name: z.string().optional(),
          description: z.string().optional(),
        }),
      ),
    }),
  })
  .meta({ description: 'this document' });
