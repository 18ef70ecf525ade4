/**
 * The cold-start benchmark: `npm run bench -- cold-start [repetitions] [--enable-source-maps]` (default 9
 * repetitions; the flag starts every process with source maps on, as the functions were once deployed).
 *
 * Builds every function as deployed (esbuild with the construct's bundling options) and its SDK-only twin (a
 * bundle importing only the AWS SDK exports the function's code imports), then starts each in fresh Node
 * processes, interleaved, with the environment its template declares: the figure is the time from the
 * process's start until the bundle is imported (Lambda's init: the handler is built at import), median of the
 * repetitions. Twin and function share Node's own start, so the ratio is what our code adds over the SDK.
 * Prints a table, then one JSON line with `worstColdImportRatio`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { synthTemplate } from '../local/synth';
import { type CfnTemplate, resourcesOfType } from '../local/template';
import { buildFunction, buildSdkTwin, functionFolders } from '../scripts/function-bundles';

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

/** Each function folder's environment, from the first function of the template that runs it. */
const environments = (template: CfnTemplate) => {
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
const lambdaEnv = {
  AWS_REGION: REGION,
  AWS_DEFAULT_REGION: REGION,
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  LAMBDA_TASK_ROOT: '/var/task',
  POWERTOOLS_DEV: 'false',
  PATH: process.env.PATH ?? '',
};

/** `performance.now()` counts from the process's start, so it includes Node's own bootstrap, as Lambda's init does. */
const IMPORT_AND_REPORT = 'await import(process.argv[1]); process.stdout.write(String(performance.now()));';

/** One cold start: a fresh process imports the bundle; ms from the process's start to the import's end. */
const coldStart = (file: string, env: Record<string, string>, flags: string[]) => {
  const child = spawnSync(
    process.execPath,
    [...flags, '--input-type=module', '-e', IMPORT_AND_REPORT, pathToFileURL(file).href],
    { env: { ...lambdaEnv, ...env }, encoding: 'utf8' },
  );
  if (child.status !== 0) throw new Error(`${file} failed to start: ${child.stderr.slice(-1500)}`);
  return Number(child.stdout);
};

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export const main = async (args: string[]) => {
  const flags = args.filter((arg) => arg === '--enable-source-maps');
  const repetitions = Number(args.find((arg) => !arg.startsWith('--')) ?? 9);
  const dir = mkdtempSync(path.join(tmpdir(), 'proleads-cold-start-'));
  try {
    const envs = environments(synthTemplate());
    const rows = [];
    for (const folder of functionFolders()) {
      const env = envs.get(folder);
      if (!env) throw new Error(`no function of the template runs lambdas/functions/${folder}`);
      const built = await buildFunction(folder, dir);
      const twin = await buildSdkTwin(folder, built, dir);
      coldStart(built.file, env, flags); // the first start of each warms the file cache, not measured
      coldStart(twin.file, env, flags);
      const ours: number[] = [];
      const sdk: number[] = [];
      for (let round = 0; round < repetitions; round++) {
        ours.push(coldStart(built.file, env, flags));
        sdk.push(coldStart(twin.file, env, flags));
      }
      const row = {
        function: folder,
        bundleKb: Math.round(built.bytes / 1024),
        sdkOnlyKb: Math.round(twin.bytes / 1024),
        coldMs: Number(median(ours).toFixed(1)),
        sdkOnlyColdMs: Number(median(sdk).toFixed(1)),
        ratio: Number((median(ours) / median(sdk)).toFixed(3)),
      };
      rows.push(row);
      console.log(
        `${folder.padEnd(22)} ${String(row.bundleKb).padStart(6)} KB ${row.coldMs.toFixed(1).padStart(7)} ms   SDK only ${String(row.sdkOnlyKb).padStart(6)} KB ${row.sdkOnlyColdMs.toFixed(1).padStart(7)} ms   x${row.ratio.toFixed(2)}`,
      );
    }
    const worst = rows.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    const result = {
      bench: 'cold-start',
      repetitions,
      sourceMaps: flags.length > 0,
      worstColdImportRatio: worst.ratio,
      worstFunction: worst.function,
      functions: Object.fromEntries(rows.map((row) => [row.function, row])),
    };
    console.log(JSON.stringify(result));
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
