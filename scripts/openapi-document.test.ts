import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../lambdas/api-routes';
import { generateOpenApiDocument, OPENAPI_DOCUMENT_FILE, renderOpenApiDocument } from './openapi-document';

type Operation = {
  parameters?: { name: string; in: string; required?: boolean }[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
  security?: Record<string, string[]>[];
  requestBody?: unknown;
};
type Document = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, { type: string; in?: string; name?: string; scheme?: string }>;
  };
};

const document = generateOpenApiDocument() as unknown as Document;

describe('the OpenAPI document', () => {
  it('is the committed docs/openapi.json', () => {
    const committed = readFileSync(OPENAPI_DOCUMENT_FILE, 'utf8');
    // A plain equality would print 100 KB; the message says what to do.
    expect(
      committed === renderOpenApiDocument(),
      `${OPENAPI_DOCUMENT_FILE} is out of date: run \`npm run openapi\` and commit the result`,
    ).toBe(true);
  });

  it('is OpenAPI 3 with info and paths', () => {
    expect(document.openapi).toMatch(/^3\.0\.\d+$/);
    expect(document.info.title).toBeTruthy();
    expect(document.info.version).toBeTruthy();
  });

  it.each(ROUTES.map((route) => [route.method, route.path, route] as const))(
    '%s %s: present, every path parameter declared, the error body on every 4xx',
    (method, path, route) => {
      const operation = document.paths[path]?.[method.toLowerCase()];
      expect(operation, `${method} ${path} is missing`).toBeDefined();
      if (!operation) return;

      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      const declared = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
      expect(declared.map((parameter) => parameter.name).sort()).toEqual([...inPath].sort());
      for (const parameter of declared) expect(parameter.required).toBe(true);

      expect(Object.keys(operation.responses)).toContain(String(route.response.status));
      const errors = Object.entries(operation.responses).filter(([status]) => status.startsWith('4'));
      expect(errors.length).toBeGreaterThan(0);
      for (const [, answer] of errors)
        expect(answer.content?.['application/json']?.schema?.$ref).toBe('#/components/schemas/Error');

      if (route.auth === 'public') expect(operation.security).toEqual([]);
      else
        for (const requirement of operation.security ?? []) {
          for (const scheme of Object.keys(requirement))
            expect(document.components.securitySchemes[scheme], scheme).toBeDefined();
        }
      expect(Boolean(operation.requestBody)).toBe(Boolean(route.request?.body));
    },
  );

  it('has no path or operation that ROUTES does not have', () => {
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(ROUTES.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('describes the credentials: platform JWTs for admins and members, API key and assertion for AutoMailer', () => {
    const schemes = document.components.securitySchemes;
    expect(schemes.adminJwt).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.memberJwt).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.partnerApiKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    expect(schemes.partnerAssertion).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.paths['/automailer/sso/token']?.post?.security).toEqual([
      { partnerApiKey: [], partnerAssertion: [] },
    ]);
  });
});

describe('ROUTES', () => {
  it.each(ROUTES.map((route) => [route.method, route.path, route] as const))(
    '%s %s declares a schema for every input and for its answer',
    (method, path, route) => {
      const params = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      expect(Object.keys(route.request?.params?.shape ?? {}).sort()).toEqual(params.sort());
      if (method === 'PUT') expect(route.request?.body).toBeDefined();
      expect(route.response.body ?? route.response.contentType ?? route.response.status === 204).toBeTruthy();
    },
  );
});
