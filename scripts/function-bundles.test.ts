import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { listenOnLoopback } from '../local/listen';
import { synthTemplate } from '../local/synth';
import {
  buildFunction,
  buildSource,
  functionEnvironments,
  functionFolders,
  LAMBDA_ENV,
  startBundle,
} from './function-bundles';

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

/** The builtins a bundle has loaded once imported as Lambda's init imports it. */
const builtinsLoadedAtStart = (file: string, env: Record<string, string>): string[] =>
  JSON.parse(
    startBundle(file, env, 'process.stdout.write(JSON.stringify(process.moduleLoadList));'),
  ) as string[];

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

describe('the node:http hand-over in a bundle', () => {
  it('still lets a bundled SDK client call a plain http endpoint (the SDK imports node:http on first use)', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ TableNames: ['leads'] }));
    });
    const endpoint = await listenOnLoopback(server);
    try {
      const built = await buildSource(
        `import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
        const client = new DynamoDBClient({
          endpoint: process.env.ENDPOINT,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        });
        const { TableNames } = await client.send(new ListTablesCommand({}));
        process.stdout.write(JSON.stringify(TableNames));`,
        path.join(outDir, 'http-call', 'index.mjs'),
      );
      const { stdout } = await promisify(execFile)(process.execPath, [built.file], {
        env: { ...LAMBDA_ENV, ENDPOINT: endpoint },
      });
      expect(JSON.parse(stdout)).toEqual(['leads']);
    } finally {
      server.close();
    }
  });
});
