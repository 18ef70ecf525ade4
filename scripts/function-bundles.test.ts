import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFunction, functionFolders } from './function-bundles';

/**
 * Each function's bundle size budget in KB (minified, as deployed): import time grows with the code a cold
 * start parses, so a bundle that grows past its budget fails here. Raise a budget only with the reason in
 * the commit, after `npm run bench -- cold-start` shows the cold start still within 20% of the SDK's own.
 */
const budgets = JSON.parse(
  readFileSync(new URL('./function-bundle-budgets.json', import.meta.url), 'utf8'),
) as Record<string, number>;

const outDir = mkdtempSync(path.join(tmpdir(), 'proleads-bundles-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('function bundles', () => {
  it('have a recorded budget each, and no budget names a function that is gone', () => {
    expect(Object.keys(budgets).sort()).toEqual(functionFolders());
  });

  it.each(functionFolders())('%s stays within its size budget', { timeout: 60_000 }, async (folder) => {
    const built = await buildFunction(folder, outDir);
    const kb = Math.ceil(built.bytes / 1024);
    expect(kb, `${folder}: ${kb} KB, budget ${budgets[folder]} KB`).toBeLessThanOrEqual(budgets[folder] ?? 0);
  });
});
