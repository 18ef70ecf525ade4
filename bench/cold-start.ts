/**
 * The cold-start benchmark: `npm run bench -- cold-start [repetitions] [--enable-source-maps]` (default 9
 * repetitions; the flag starts every process with source maps on, as the functions were once deployed).
 *
 * Builds every function as deployed (esbuild with the construct's bundling options) and its SDK-only twin (a
 * bundle importing only the AWS SDK exports the function's code imports), then starts each in fresh Node
 * processes, interleaved, with the environment its template declares: the figure is the time from the
 * process's start until the bundle is imported (Lambda's init: the handler is built at import), median of the
 * repetitions. Twin and function share Node's own start, so the ratio is what our code adds over the SDK.
 * Prints a table, then one JSON line with `worstColdImportRatio` and, as the same comparison in ms,
 * `maxAddedMs`: a ratio over a small twin (the authorizers use little or no SDK) magnifies a few ms of work
 * every token check needs (`node:crypto`, `node:https`), the difference in ms does not.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { synthTemplate } from '../local/synth';
import {
  buildFunction,
  buildSdkTwin,
  functionEnvironments,
  functionFolders,
  startBundle,
} from '../scripts/function-bundles';

/**
 * One cold start: ms from the process's start to the import's end (`performance.now()` counts from the
 * process's start, so it includes Node's own bootstrap, as Lambda's init does).
 */
const coldStart = (file: string, env: Record<string, string>, flags: string[]) =>
  Number(startBundle(file, env, 'process.stdout.write(String(performance.now()));', flags));

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export const main = async (args: string[]) => {
  const flags = args.filter((arg) => arg === '--enable-source-maps');
  const repetitions = Number(args.find((arg) => !arg.startsWith('--')) ?? 9);
  const dir = mkdtempSync(path.join(tmpdir(), 'proleads-cold-start-'));
  try {
    const envs = functionEnvironments(synthTemplate());
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
        addedMs: Number((median(ours) - median(sdk)).toFixed(1)),
      };
      rows.push(row);
      console.log(
        `${folder.padEnd(22)} ${String(row.bundleKb).padStart(6)} KB ${row.coldMs.toFixed(1).padStart(7)} ms   SDK only ${String(row.sdkOnlyKb).padStart(6)} KB ${row.sdkOnlyColdMs.toFixed(1).padStart(7)} ms   x${row.ratio.toFixed(2)} +${row.addedMs.toFixed(1)} ms`,
      );
    }
    const worst = rows.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    const mostAdded = rows.reduce((a, b) => (b.addedMs > a.addedMs ? b : a));
    const result = {
      bench: 'cold-start',
      repetitions,
      sourceMaps: flags.length > 0,
      worstColdImportRatio: worst.ratio,
      worstFunction: worst.function,
      maxAddedMs: mostAdded.addedMs,
      maxAddedFunction: mostAdded.function,
      functions: Object.fromEntries(rows.map((row) => [row.function, row])),
    };
    console.log(JSON.stringify(result));
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
