import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppConfig } from '../lib/config';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
}

export const resourcesOfType = (template: CfnTemplate, ...types: string[]) =>
  Object.entries(template.Resources).filter(([, resource]) => types.includes(resource.Type));

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TEMPLATE_CACHE_FILE = path.join(
  repoRoot,
  'node_modules',
  '.cache',
  'proleads',
  'local-template.json',
);

/** Whole folders whose every file feeds the template (the console's sources are hashed into its asset). */
const INPUT_FOLDERS = ['lib', 'bin', 'web'];
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist']);
/** Single files: the app's context, its version, and the versions of the libraries that write the template. */
const INPUT_FILES = [
  'cdk.json',
  'package.json',
  'package-lock.json',
  ...['aws-cdk-lib', 'constructs', 'cdk-nag', 'cdk-monitoring-constructs'].map((name) =>
    path.join('node_modules', name, 'package.json'),
  ),
];

const filesUnder = (folder: string): string[] =>
  readdirSync(path.join(repoRoot, folder), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(folder, entry.name);
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : filesUnder(relative);
    return entry.isFile() ? [relative] : [];
  });

/** Every source file the synthesis imports (lib/ reads lambdas/contracts, for one), found by esbuild. */
const importedSources = async (): Promise<string[]> => {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [path.join(repoRoot, 'local', 'synth.ts')],
    bundle: true,
    write: false,
    metafile: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs).map((input) => path.relative(repoRoot, path.resolve(input)));
};

/** Every file the template is a function of: what the synthesis imports or reads, repo-relative, sorted. */
export const templateInputs = async (): Promise<string[]> =>
  [...new Set([...INPUT_FOLDERS.flatMap(filesUnder), ...INPUT_FILES, ...(await importedSources())])].sort();

/**
 * What the synthesized template is a function of: the content of every file the synthesis imports or reads,
 * the configuration, and the environment the app reads. A template is reused only under the same key.
 */
export const templateKey = async (config: AppConfig): Promise<string> => {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(config));
  hash.update(`${process.env.CDK_DEFAULT_ACCOUNT ?? ''}\0${process.env.CDK_DEFAULT_REGION ?? ''}\0`);
  for (const file of await templateInputs()) {
    hash.update(`${file}\0`);
    try {
      hash.update(readFileSync(path.join(repoRoot, file)));
    } catch {
      hash.update('(missing)');
    }
    hash.update('\0');
  }
  return hash.digest('hex');
};

export interface LoadedTemplate {
  readonly template: CfnTemplate;
  /** Synthesized now, or the one synthesized from the same inputs before. */
  readonly source: 'synthesized' | 'reused';
}

/**
 * The stack's template for this configuration: the one synthesized by an earlier start when nothing it depends
 * on has changed (synthesis imports the CDK and takes seconds), else synthesized now and kept for the next.
 */
export const loadTemplate = async (config: AppConfig): Promise<LoadedTemplate> => {
  const key = await templateKey(config);
  try {
    const cached = JSON.parse(readFileSync(TEMPLATE_CACHE_FILE, 'utf8')) as {
      key: string;
      template: CfnTemplate;
    };
    if (cached.key === key) return { template: cached.template, source: 'reused' };
  } catch {
    // No template kept yet, or an unreadable one: synthesize.
  }
  const { synthTemplate } = await import('./synth');
  const template = synthTemplate(config);
  mkdirSync(path.dirname(TEMPLATE_CACHE_FILE), { recursive: true });
  // Written whole, then renamed: a start running at the same time never reads half a file.
  const partial = `${TEMPLATE_CACHE_FILE}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify({ key, template }));
  renameSync(partial, TEMPLATE_CACHE_FILE);
  return { template, source: 'synthesized' };
};
