/**
 * Every function's Lambda bundle, built as `cdk deploy` builds it (esbuild with the construct's options), for
 * the cold-start bench and the bundle-size budget test; and its SDK-only twin, a bundle importing nothing but
 * the same AWS SDK exports the function's code imports, the yardstick of the function's own import cost.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { FUNCTION_BUNDLING } from '../lib/constructs/lambda-function';

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
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    banner: { js: FUNCTION_BUNDLING.banner },
    // As the construct builds: the AWS SDK is bundled, nothing is external but Node's own modules.
    external: [...FUNCTION_BUNDLING.externalModules],
    metafile: true,
    logLevel: 'silent',
  });
  return { file: outFile, bytes: statSync(outFile).size, metafile: result.metafile };
};

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
  return bundle({ stdin: lines.join('\n') }, path.join(outDir, `${folder}.sdk-only`, 'index.mjs'));
};
