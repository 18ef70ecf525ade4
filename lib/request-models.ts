import { type ZodType, z } from 'zod';

/**
 * A request body's JSON Schema in API Gateway's dialect (draft 4), made from the zod schema the Lambda
 * parses the body with: the input it accepts. What JSON Schema cannot say (refinements, transforms) is left
 * out, so the gateway refuses a subset of what the Lambda refuses, never a body the Lambda would take.
 */
export const requestModelSchema = (body: ZodType): Record<string, unknown> =>
  z.toJSONSchema(body, { target: 'draft-04', io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;

/** An API Gateway model name (alphanumeric) for a route: `PUT /admin/members/{id}` -> `PutAdminMembersId`. */
export const requestModelName = (method: string, path: string): string =>
  [method.toLowerCase(), ...path.split(/[^A-Za-z0-9]+/)]
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
