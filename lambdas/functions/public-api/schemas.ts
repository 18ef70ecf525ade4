import { z } from 'zod';

/** The public API's answers (see admin-api/schemas.ts for why schemas live in a module of their own). */

export const JwksSchema = z.strictObject({
  keys: z.array(
    z.looseObject({
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

export const OpenApiDocumentSchema = z
  .looseObject({
    openapi: z.string(),
    info: z.record(z.string(), z.unknown()),
    paths: z.record(z.string(), z.unknown()),
  })
  .meta({ description: 'this document' });
