import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { OpenApiDocumentSchema } from '../lambdas/functions/public-api/schemas';
import { generateOpenApiDocument, OPENAPI_DOCUMENT_FILE } from './openapi-document';

const run = promisify(execFile);

type Schema = Record<string, unknown>;
interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
}

const document = generateOpenApiDocument() as unknown as {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, Schema> }> }>>;
  components: { schemas: Record<string, Schema> };
};

/** The one route whose answer holds free-form JSON Schemas: the API document itself. */
const FREE_FORM_ROUTE = '/openapi.json';

/**
 * What a client generator cannot type: a schema without a type (or a reference or composition), an array
 * without items, or an object that takes properties it does not name. `where` says where it is.
 */
const untypedParts = (schema: Schema, where: string, seen = new Set<string>()): string[] => {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/components/schemas/', '');
    if (seen.has(name)) return [];
    seen.add(name);
    const target = document.components.schemas[name];
    return target ? untypedParts(target, `${where} -> ${name}`, seen) : [`${where}: dangling ${schema.$ref}`];
  }
  const compositions = ['anyOf', 'oneOf', 'allOf'].flatMap((key) =>
    Array.isArray(schema[key]) ? (schema[key] as Schema[]) : [],
  );
  if (compositions.length > 0)
    return compositions.flatMap((part, index) => untypedParts(part, `${where}[${index}]`, seen));
  if (schema.type === undefined && schema.enum === undefined) return [`${where}: no type`];
  if (schema.type === 'array')
    return schema.items ? untypedParts(schema.items as Schema, `${where}[]`, seen) : [`${where}: no items`];
  if (schema.type !== 'object') return [];
  const extra = schema.additionalProperties;
  const problems =
    extra === false
      ? []
      : typeof extra === 'object' && extra !== null
        ? untypedParts(extra as Schema, `${where}{*}`, seen)
        : [`${where}: open to properties it does not name`];
  return [
    ...problems,
    ...Object.entries((schema.properties ?? {}) as Record<string, Schema>).flatMap(([name, property]) =>
      untypedParts(property, `${where}.${name}`, seen),
    ),
  ];
};

describe('the OpenAPI document, for client generators', () => {
  it("passes Redocly's recommended rules with no error", { timeout: 60_000 }, async () => {
    const bin = path.resolve('node_modules', '.bin', 'redocly');
    const { stdout } = await run(
      bin,
      ['lint', OPENAPI_DOCUMENT_FILE, '--extends', 'recommended', '--format', 'json'],
      {
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        maxBuffer: 16 * 1024 * 1024,
      },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(stdout) as LintReport;
    const errors = report.problems
      .filter((problem) => problem.severity === 'error')
      .map((problem) => `${problem.ruleId} at ${problem.location[0]?.pointer}: ${problem.message}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });

  it('types every answer: no untyped value, no object that takes properties it does not name', () => {
    const problems = Object.entries(document.paths)
      .filter(([route]) => route !== FREE_FORM_ROUTE)
      .flatMap(([route, operations]) =>
        Object.entries(operations).flatMap(([method, operation]) =>
          Object.entries(operation.responses).flatMap(([status, answer]) =>
            Object.entries(answer.content ?? {}).flatMap(([mediaType, { schema }]) =>
              schema
                ? untypedParts(schema as Schema, `${method.toUpperCase()} ${route} ${status} ${mediaType}`)
                : [],
            ),
          ),
        ),
      );
    expect(problems).toEqual([]);
  });

  it('is itself the answer its own route documents', () => {
    expect(() => OpenApiDocumentSchema.parse(document)).not.toThrow();
  });
});
