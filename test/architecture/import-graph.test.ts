import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layer rules of the code, read from the import graph of every non-test source file:
 * - `lambdas/functions/<fn>/` (and the route table `lambdas/api-routes.ts`) is what Lambda invokes; the
 *   core (every other folder under `lambdas/`) never imports it;
 * - a `domain/` folder is pure: it imports no `adapters/` module and no AWS SDK, not even a type;
 * - DynamoDB commands are built only in an `adapters/` folder or in the shared DynamoDB helpers named in
 *   `SHARED_DYNAMO_ADAPTERS` (used by several contexts); a function only wires a client and calls them;
 * - `lib/` (the CDK app) reaches no module that imports an AWS SDK client, so `cdk synth` loads none;
 * - a module under `lambdas/` takes zod from `lambdas/shared/zod.ts` alone (zod's small build, set up once),
 *   so no function bundles zod's full build;
 * - no import cycle;
 * - the benchmarks and the shared fixtures import no test helper (`test/`).
 * Type-only imports are left out of the graph: they vanish at run time and cannot load anything.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const sourceFiles = (dir: string): string[] =>
  readdirSync(path.join(root, dir)).flatMap((name) => {
    const relative = path.posix.join(dir, name);
    if (statSync(path.join(root, relative)).isDirectory()) return sourceFiles(relative);
    return relative.endsWith('.ts') && !relative.endsWith('.test.ts') && !relative.endsWith('.d.ts')
      ? [relative]
      : [];
  });

const files = [
  ...sourceFiles('lambdas'),
  ...sourceFiles('lib'),
  ...sourceFiles('bin'),
  ...sourceFiles('scripts'),
];
const known = new Set(files);

interface Imports {
  readonly local: string[];
  readonly packages: string[];
  /** Every package imported, type-only imports included. */
  readonly packagesWithTypes: string[];
  /** Runtime names imported from each package: `{ GetCommand, type X }` gives GetCommand. */
  readonly names: Map<string, string[]>;
}

/** Imports of a file: relative ones resolved to repository paths, packages by name. */
const importsOf = (file: string): Imports => {
  const text = readFileSync(path.join(root, file), 'utf8');
  const local: string[] = [];
  const packages: string[] = [];
  const packagesWithTypes: string[] = [];
  const names = new Map<string, string[]>();
  const pattern = /^(?:import|export)\s+(type\s+)?(?:([^'";]*?)\sfrom\s+)?['"]([^'"]+)['"]/gm;
  for (const match of text.matchAll(pattern)) {
    const specifier = match[3] as string;
    if (!specifier.startsWith('.')) packagesWithTypes.push(specifier);
    if (match[1]) continue;
    if (!specifier.startsWith('.')) {
      const named = /\{([^}]*)\}/.exec(match[2] ?? '')?.[1] ?? '';
      names.set(
        specifier,
        named
          .split(',')
          .map((name) => name.trim())
          .filter((name) => name && !name.startsWith('type '))
          .map((name) => name.split(/\s+as\s+/)[0] as string),
      );
    }
    if (!specifier.startsWith('.')) {
      packages.push(specifier);
      continue;
    }
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    const resolved = [base, `${base}.ts`, `${base}/index.ts`].find((candidate) => known.has(candidate));
    if (resolved) local.push(resolved);
  }
  return { local, packages, packagesWithTypes, names };
};

const graph = new Map(files.map((file) => [file, importsOf(file)]));

const isFunction = (file: string) =>
  file.startsWith('lambdas/functions/') || file === 'lambdas/api-routes.ts';
const isCore = (file: string) => file.startsWith('lambdas/') && !isFunction(file);
const isDomain = (file: string) => file.startsWith('lambdas/') && file.split('/').includes('domain');
const isAdapter = (file: string) => file.startsWith('lambdas/') && file.split('/').includes('adapters');
const isSdk = (specifier: string) => specifier.startsWith('@aws-sdk/');
const DYNAMO_PACKAGES = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'];
/**
 * The DynamoDB helpers every context shares (the document client and batch/conditional helpers, counters,
 * counted single-use claims, the upload state shared by ingest and verification): adapters by role.
 */
const SHARED_DYNAMO_ADAPTERS = [
  'lambdas/shared/dynamo.ts',
  'lambdas/shared/counters.ts',
  'lambdas/shared/counting-claim.ts',
  'lambdas/shared/upload-state.ts',
];
/** The DynamoDB commands a file can build: the `*Command` classes it imports at run time. */
const dynamoCommandsOf = (file: string) =>
  DYNAMO_PACKAGES.flatMap((specifier) => graph.get(file)?.names.get(specifier) ?? []).filter((name) =>
    name.endsWith('Command'),
  );

const arrows = () => [...graph].flatMap(([from, { local }]) => local.map((to) => ({ from, to })));

describe('the import graph', () => {
  it('reads every source file', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain('lambdas/functions/distribution/index.ts');
    expect(graph.get('lambdas/shared/dynamo.ts')?.packages).toContain('@aws-sdk/client-dynamodb');
    expect(graph.get('lib/constructs/api.ts')?.local).toContain('lambdas/api-routes.ts');
    expect(arrows().length).toBeGreaterThan(300);
  });

  it('has no arrow from the core to a function', () => {
    expect(arrows().filter(({ from, to }) => isCore(from) && isFunction(to))).toEqual([]);
  });

  it('has no arrow from a domain module to an adapter, and no AWS SDK in a domain', () => {
    expect(arrows().filter(({ from, to }) => isDomain(from) && isAdapter(to))).toEqual([]);
    const sdkInDomain = [...graph]
      .filter(([file, { packagesWithTypes }]) => isDomain(file) && packagesWithTypes.some(isSdk))
      .map(([file]) => file);
    expect(sdkInDomain).toEqual([]);
  });

  it('builds DynamoDB commands only in adapters', () => {
    expect(dynamoCommandsOf('lambdas/shared/dynamo.ts')).toContain('BatchWriteCommand');
    const outside = files
      .filter(
        (file) => file.startsWith('lambdas/') && !isAdapter(file) && !SHARED_DYNAMO_ADAPTERS.includes(file),
      )
      .flatMap((file) => dynamoCommandsOf(file).map((command) => `${file}: ${command}`));
    expect(outside).toEqual([]);
  });

  it('keeps every AWS SDK client out of the CDK app', () => {
    const loadsSdk = new Map<string, string | undefined>();
    // The first chain of imports from `file` to a module that imports the SDK, or undefined.
    const sdkChain = (file: string, seen = new Set<string>()): string | undefined => {
      if (loadsSdk.has(file)) return loadsSdk.get(file);
      if (seen.has(file)) return undefined;
      seen.add(file);
      const node = graph.get(file);
      let chain: string | undefined;
      const sdk = node?.packages.find(isSdk);
      if (sdk) chain = `${file} -> ${sdk}`;
      for (const next of node?.local ?? []) {
        if (chain) break;
        const rest = sdkChain(next, seen);
        if (rest) chain = `${file} -> ${rest}`;
      }
      loadsSdk.set(file, chain);
      return chain;
    };
    const offending = files
      .filter((file) => file.startsWith('lib/') || file.startsWith('bin/'))
      .map((file) => sdkChain(file))
      .filter((chain) => chain !== undefined);
    expect(offending).toEqual([]);
  });

  it("gives the functions zod's small build only, through lambdas/shared/zod.ts", () => {
    const isZod = (specifier: string) => specifier === 'zod' || specifier.startsWith('zod/');
    expect(graph.get('lambdas/shared/zod.ts')?.packages).toContain('zod/mini');
    const direct = files.filter(
      (file) =>
        file.startsWith('lambdas/') &&
        file !== 'lambdas/shared/zod.ts' &&
        graph.get(file)?.packagesWithTypes.some(isZod),
    );
    expect(direct).toEqual([]);
  });

  it("keeps the admin API's answer schemas out of its function (their types only)", () => {
    const answers = 'lambdas/functions/admin-api/answers.ts';
    expect(graph.get('lambdas/api-routes.ts')?.local).toContain(answers);
    expect(
      arrows().filter(
        ({ from, to }) => to === answers && isFunction(from) && from !== 'lambdas/api-routes.ts',
      ),
    ).toEqual([]);
  });

  it('keeps the benchmarks and the fixtures off the test helpers', () => {
    const intoTests = [...sourceFiles('bench'), ...sourceFiles('fixtures')].flatMap((file) =>
      [...readFileSync(path.join(root, file), 'utf8').matchAll(/from\s+['"](\.[^'"]+)['"]/g)]
        .map((match) => path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1] as string)))
        .filter((target) => target.startsWith('test/'))
        .map((target) => `${file} -> ${target}`),
    );
    expect(intoTests).toEqual([]);
  });

  it('has no cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      stack.push(file);
      for (const next of graph.get(file)?.local ?? []) {
        if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' -> '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});
