import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { API_TYPES, generateApiTypes } from './api-types';

describe('the generated API client types', () => {
  it('match docs/openapi.json (run `npm run gen:api-client` after changing the API document)', async () => {
    const committed = await readFile(API_TYPES, 'utf8');
    expect(committed === (await generateApiTypes()), 'web/src/lib/api-schema.d.ts is stale').toBe(true);
  });
});
