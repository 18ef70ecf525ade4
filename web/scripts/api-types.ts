import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

/**
 * The console's API types, generated from the published API document: a changed route or schema changes
 * these types, so the console stops compiling instead of drifting from the API.
 */
export const API_DOCUMENT = fileURLToPath(new URL('../../docs/openapi.json', import.meta.url));
export const API_TYPES = fileURLToPath(new URL('../src/lib/api-schema.d.ts', import.meta.url));

const HEADER = '// Generated from docs/openapi.json by `npm run gen:api-client`. Do not edit.\n\n';

export const generateApiTypes = async (): Promise<string> => {
  const document = JSON.parse(await readFile(API_DOCUMENT, 'utf8'));
  const ast = await openapiTS(document);
  return HEADER + astToString(ast);
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(API_TYPES, await generateApiTypes());
  console.log(`wrote ${API_TYPES}`);
}
