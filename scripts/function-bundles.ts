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

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

/** Stand-in values for the template's intrinsics: well-formed names, URLs and ARNs; nothing is called. */
const placeholderResolver = (template: CfnTemplate) => {
  const refOf = (id: string) => {
    const type = template.Resources[id]?.Type;
    if (type === 'AWS::SQS::Queue') return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${id}`;
    if (type === 'AWS::SecretsManager::Secret')
      return `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${id}`;
    if (type === 'AWS::S3::Bucket') return id.toLowerCase();
    return id;
  };
  const resolve = (node: unknown): string => {
    if (typeof node === 'string') return node;
    if (typeof node === 'number' || typeof node === 'boolean') return String(node);
    const record = (node ?? {}) as Record<string, unknown>;
    if ('Ref' in record) {
      const name = String(record.Ref);
      if (name === 'AWS::Region') return REGION;
      if (name === 'AWS::AccountId') return ACCOUNT;
      if (name.startsWith('AWS::')) return name === 'AWS::Partition' ? 'aws' : 'bench';
      return refOf(name);
    }
    if ('Fn::GetAtt' in record) {
      const [id, attribute] = record['Fn::GetAtt'] as [string, string];
      if (attribute === 'Arn')
        return `arn:aws:${(template.Resources[id]?.Type ?? 'x::y').split('::')[1]?.toLowerCase()}:${REGION}:${ACCOUNT}:${id}`;
      return `${id}-${attribute}`.toLowerCase();
    }
    if ('Fn::Join' in record) {
      const [separator, parts] = record['Fn::Join'] as [string, unknown[]];
      return parts.map(resolve).join(separator);
    }
    if ('Fn::Select' in record) {
      const [index, list] = record['Fn::Select'] as [number, unknown];
      const items = Array.isArray(list) ? list.map(resolve) : resolve(list).split(',');
      return items[Number(index)] ?? '';
    }
    if ('Fn::Split' in record) {
      const [separator, source] = record['Fn::Split'] as [string, unknown];
      return resolve(source).split(separator).join(',');
    }
    return 'bench';
  };
  return resolve;
};

/** Each function folder's environment, from the first function of the template that runs it (intrinsics as stand-ins). */
export const functionEnvironments = (template: CfnTemplate) => {
  const resolve = placeholderResolver(template);
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
  AWS_REGION: REGION,
  AWS_DEFAULT_REGION: REGION,
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
