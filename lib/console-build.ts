import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The admin console's build, shared by `npm start` (which serves `web/dist`) and `cdk synth` (which bundles
 * it as an asset): `npm run build:web` when `web/dist` is missing or older than the console's sources, so a
 * fresh build is reused instead of rebuilt.
 */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_DIR = path.join(REPO_ROOT, 'web');
export const WEB_DIST = path.join(WEB_DIR, 'dist');
export const BUILD_SCRIPT = 'build:web';

/** Not part of what the browser loads: output, dependencies, tests. */
const NOT_SOURCES = new Set(['dist', 'node_modules', 'test', '__tests__']);
const isTestFile = (name: string) => /\.(test|spec)\.[cm]?[jt]sx?$/.test(name);

export type ConsoleBuild =
  | { readonly state: 'fresh' }
  | { readonly state: 'built'; readonly ms: number }
  | { readonly state: 'unavailable'; readonly reason: string };

/** Newest modification time (ms) of the console's sources under `dir`. */
const newestSource = (dir: string): number => {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (NOT_SOURCES.has(entry.name) || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.isFile() && !isTestFile(entry.name)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
};

/** True when `web/dist/index.html` exists and is newer than every source file of the console. */
export const isConsoleBuildFresh = (webDir = WEB_DIR): boolean => {
  const index = path.join(webDir, 'dist', 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= newestSource(webDir);
};

const hasBuildScript = (): boolean => {
  const scripts = (
    JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
    }
  ).scripts;
  return typeof scripts?.[BUILD_SCRIPT] === 'string';
};

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Several processes may want the console at once (test files, synth): one builds while the others wait,
 * then find it fresh. A lock left by a killed build is taken over after ten minutes.
 */
const withBuildLock = <T>(work: () => T): T => {
  const lock = path.join(
    tmpdir(),
    `proleads-console-build-${createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 12)}.lock`,
  );
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - since > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
      else sleep(250);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
};

/**
 * Builds the console with `npm run build:web` unless `web/dist` is fresh. Throws when the build fails (its
 * output is in the error); says why when there is nothing to build yet.
 */
export const ensureConsoleBuilt = (): ConsoleBuild => {
  if (!existsSync(WEB_DIR)) return { state: 'unavailable', reason: 'there is no web/ folder' };
  if (isConsoleBuildFresh()) return { state: 'fresh' };
  if (!hasBuildScript())
    return { state: 'unavailable', reason: `package.json has no "${BUILD_SCRIPT}" script yet` };
  return withBuildLock(() => {
    if (isConsoleBuildFresh()) return { state: 'fresh' };
    const started = Date.now();
    try {
      execFileSync('npm', ['run', '--silent', BUILD_SCRIPT], {
        cwd: REPO_ROOT,
        // Always the production build, even from a test runner that sets NODE_ENV=test (Vite would follow it).
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
      throw new Error(
        `npm run ${BUILD_SCRIPT} failed:\n${stdout?.toString() ?? ''}${stderr?.toString() ?? ''}`.trim(),
      );
    }
    return { state: 'built', ms: Date.now() - started };
  });
};
