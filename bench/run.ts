import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `npm run bench -- <name> [args...]` runs `bench/<name>.ts` as if it had been started directly, so each
 * bench keeps its own argument handling and ends with its one JSON line.
 */
const benchDir = path.dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);
const file = path.join(benchDir, `${name ?? ''}.ts`);
if (!name || name === 'run' || !existsSync(file)) {
  const names = readdirSync(benchDir)
    .filter((entry) => entry.endsWith('.ts') && entry !== 'run.ts')
    .map((entry) => entry.slice(0, -3));
  console.error(`usage: npm run bench -- <${names.join('|')}> [args...]`);
  process.exit(2);
}
process.argv = [process.argv[0] ?? 'node', file, ...args];
await import(pathToFileURL(file).href);
