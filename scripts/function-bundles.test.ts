import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { synthTemplate } from '../local/synth';
import { buildFunction, functionEnvironments, functionFolders, LAMBDA_ENV } from './function-bundles';

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

/** Starts a bundle as Lambda's init does (its template environment, no credentials): the builtins it loaded. */
const builtinsLoadedAtStart = (file: string, env: Record<string, string>): string[] => {
  const child = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      'await import(process.argv[1]); process.stdout.write(JSON.stringify(process.moduleLoadList));',
      pathToFileURL(file).href,
    ],
    { env: { ...LAMBDA_ENV, ...env }, encoding: 'utf8' },
  );
  if (child.status !== 0) throw new Error(`${file} failed to start: ${child.stderr.slice(-1500)}`);
  return JSON.parse(child.stdout) as string[];
};

const environments = functionEnvironments(synthTemplate());

describe('function bundles', () => {
  it('have a recorded budget each, and no budget names a function that is gone', () => {
    expect(Object.keys(budgets).sort()).toEqual(functionFolders());
  });

  it.each(functionFolders())('%s stays within its size budget', { timeout: 60_000 }, async (folder) => {
    const built = await buildFunction(folder, outDir);
    const kb = Math.ceil(built.bytes / 1024);
    expect(kb, `${folder}: ${kb} KB, budget ${budgets[folder]} KB`).toBeLessThanOrEqual(budgets[folder] ?? 0);

    // An ES module import of node:http (the SDK's credential chain has one) or jose's remote key set would
    // load Node's fetch, about 28 ms of every cold start; the bundling hands node:http over as CommonJS.
    const loaded = builtinsLoadedAtStart(built.file, environments.get(folder) ?? {});
    expect(loaded.filter((name) => name.includes('undici'))).toEqual([]);
  });
});
