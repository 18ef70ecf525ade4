/**
 * Every function's Lambda bundle, built as `cdk deploy` builds it (esbuild with the construct's options), for
 * the cold-start bench and the bundle-size budget test; and its SDK-only twin, a bundle importing nothing but
 * the same AWS SDK exports the function's code imports, the yardstick of the function's own import cost.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { FUNCTION_BUNDLING } from '../lib/constructs/lambda-function';
import { intrinsicResolver, LOCAL_ACCOUNT, LOCAL_REGION, type LocalResource } from '../local/resources';
import { type CfnTemplate, resourcesOfType } from '../local/template';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const functionsDir = path.join(repoRoot, 'lambdas', 'functions');

/** The folders under `lambdas/functions/` that hold a Lambda entry. */
export const functionFolders = () =>
  readdirSync(functionsDir)
    .filter((folder) => statSync(path.join(functionsDir, folder, 'index.ts'), { throwIfNoEntry: false }))
    .sort();

export interface BuiltBundle {
  readonly file: string;
  readonly bytes: number;
  readonly metafile: Metafile;
}

const bundle = async (options: { entry?: string; stdin?: string }, outFile: string): Promise<BuiltBundle> => {
  const result = await build({
    ...(options.entry
      ? { entryPoints: [options.entry] }
      : { stdin: { contents: options.stdin ?? '', resolveDir: repoRoot, loader: 'ts' } }),
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: FUNCTION_BUNDLING.format,
    target: FUNCTION_BUNDLING.target,
    minify: FUNCTION_BUNDLING.minify,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    alias: { ...FUNCTION_BUNDLING.alias },
    // The aliases are paths from the project's root, as the construct's build runs there.
    absWorkingDir: repoRoot,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    banner: { js: FUNCTION_BUNDLING.banner },
    // As the construct builds: the AWS SDK is bundled, nothing is external but Node's own modules.
    external: [...FUNCTION_BUNDLING.externalModules],
    metafile: true,
    logLevel: 'silent',
  });
  return { file: outFile, bytes: statSync(outFile).size, metafile: result.metafile };
};

/** Builds a piece of TypeScript (resolved from the project's root) as a function is built. */
export const buildSource = (source: string, outFile: string) => bundle({ stdin: source }, outFile);

/** Builds `lambdas/functions/<folder>/index.ts` into `<outDir>/<folder>/index.mjs` (and its map). */
export const buildFunction = (folder: string, outDir: string) =>
  bundle({ entry: path.join(functionsDir, folder, 'index.ts') }, path.join(outDir, folder, 'index.mjs'));

const SDK_IMPORT = /import\s+(type\s+)?\{([^}]*)\}\s*from\s*['"](@aws-sdk\/[^'"]+)['"]/g;

/** The AWS SDK value exports the bundle's own sources import, by package. */
export const sdkImportsOf = (metafile: Metafile): Map<string, Set<string>> => {
  const imports = new Map<string, Set<string>>();
  for (const input of Object.keys(metafile.inputs)) {
    if (input.includes('node_modules/') || !/\.tsx?$/.test(input)) continue;
    const source = readFileSync(path.join(repoRoot, input), 'utf8');
    for (const [, typeOnly, names, pkg] of source.matchAll(SDK_IMPORT)) {
      if (typeOnly || !names || !pkg) continue;
      for (const name of names.split(',')) {
        const trimmed = name.trim();
        if (!trimmed || trimmed.startsWith('type ')) continue;
        const exported = trimmed.split(/\s+as\s+/)[0] as string;
        const set = imports.get(pkg) ?? new Set<string>();
        set.add(exported);
        imports.set(pkg, set);
      }
    }
  }
  return imports;
};

/** The SDK-only twin of a built function: the same SDK exports, imported and kept, and nothing else. */
export const buildSdkTwin = (folder: string, built: BuiltBundle, outDir: string) => {
  const imports = sdkImportsOf(built.metafile);
  const lines: string[] = [];
  const kept: string[] = [];
  for (const [pkg, names] of imports) {
    const aliased = [...names].map((name) => {
      const alias = `sdk${kept.length}`;
      kept.push(alias);
      return `${name} as ${alias}`;
    });
    lines.push(`import { ${aliased.join(', ')} } from '${pkg}';`);
  }
  lines.push(`export const kept = [${kept.join(', ')}];`);
  return buildSource(lines.join('\n'), path.join(outDir, `${folder}.sdk-only`, 'index.mjs'));
};

/** Stand-ins for what the template's intrinsics name: well-formed names, URLs and ARNs; nothing is called. */
const placeholderResource =
  (template: CfnTemplate) =>
  (id: string): LocalResource | undefined => {
    const type = template.Resources[id]?.Type;
    if (!type) return undefined;
    const arn = `arn:aws:${type.split('::')[1]?.toLowerCase()}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${id}`;
    if (type === 'AWS::SQS::Queue')
      return { ref: `https://sqs.${LOCAL_REGION}.amazonaws.com/${LOCAL_ACCOUNT}/${id}`, arn };
    if (type === 'AWS::SecretsManager::Secret') {
      const secretArn = `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${id}`;
      return { ref: secretArn, arn: secretArn };
    }
    if (type === 'AWS::S3::Bucket') return { ref: id.toLowerCase(), arn: `arn:aws:s3:::${id.toLowerCase()}` };
    return { ref: id, arn };
  };

/** Each function folder's environment, from the first function of the template that runs it (intrinsics as stand-ins). */
export const functionEnvironments = (template: CfnTemplate) => {
  const resolve = intrinsicResolver(placeholderResource(template));
  const byFolder = new Map<string, Record<string, string>>();
  for (const [id, resource] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const folder = resource.Metadata?.['proleads:function'];
    if (typeof folder !== 'string' || byFolder.has(folder)) continue;
    const variables =
      (resource.Properties as { Environment?: { Variables?: Record<string, unknown> } } | undefined)
        ?.Environment?.Variables ?? {};
    byFolder.set(folder, {
      ...Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, resolve(value)])),
      AWS_LAMBDA_FUNCTION_NAME: id,
    });
  }
  return byFolder;
};

/** Lambda's own variables, and no credentials: nothing may call AWS while the function starts. */
export const LAMBDA_ENV = {
  AWS_REGION: LOCAL_REGION,
  AWS_DEFAULT_REGION: LOCAL_REGION,
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  LAMBDA_TASK_ROOT: '/var/task',
  POWERTOOLS_DEV: 'false',
  PATH: process.env.PATH ?? '',
};

/**
 * Starts a bundle as Lambda's init does: a fresh Node process with Lambda's variables and the function's
 * environment imports it, then runs `report` (which writes its answer to stdout). Returns what it wrote.
 */
export const startBundle = (
  file: string,
  env: Record<string, string>,
  report: string,
  nodeFlags: readonly string[] = [],
): string => {
  const child = spawnSync(
    process.execPath,
    [
      ...nodeFlags,
      '--input-type=module',
      '-e',
      `await import(process.argv[1]); ${report}`,
      pathToFileURL(file).href,
    ],
    { env: { ...LAMBDA_ENV, ...env }, encoding: 'utf8' },
  );
  if (child.status !== 0) throw new Error(`${file} failed to start: ${child.stderr.slice(-1500)}`);
  return child.stdout;
};
