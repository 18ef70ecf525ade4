import * as z from 'zod/mini';

/**
 * Value rules an admin fixes field by field (ranges, lengths, patterns, formats). The gateway's refusal cannot
 * name the field (its one answer is fixed text), so these stay with the Lambda, whose 400 says which field
 * and why — the console shows it next to that field. The gateway keeps what makes a body malformed: not an
 * object, a missing required field, a wrong type, an unknown field, a value outside an enumeration.
 */
const fieldValueRules = new Set([
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minItems',
  'maxItems',
  'uniqueItems',
]);

const withoutFieldValueRules = (schema: unknown): unknown => {
  if (Array.isArray(schema)) return schema.map(withoutFieldValueRules);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key, value]) => !(fieldValueRules.has(key) && typeof value !== 'object'))
      .map(([key, value]) => [key, withoutFieldValueRules(value)]),
  );
};

/**
 * A request body's JSON Schema in API Gateway's dialect (draft 4), made from the zod schema the Lambda
 * parses the body with: the input it accepts, its shape without the field value rules above. What JSON Schema
 * cannot say (refinements, transforms) is left out too, so the gateway refuses a subset of what the Lambda
 * refuses, never a body the Lambda would take.
 */
export const requestModelSchema = (body: z.core.$ZodType): Record<string, unknown> =>
  withoutFieldValueRules(
    z.toJSONSchema(body, { target: 'draft-04', io: 'input', unrepresentable: 'any' }),
  ) as Record<string, unknown>;

/** An API Gateway model name (alphanumeric) for a route: `PUT /admin/members/{id}` -> `PutAdminMembersId`. */
export const requestModelName = (method: string, path: string): string =>
  [method.toLowerCase(), ...path.split(/[^A-Za-z0-9]+/)]
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
