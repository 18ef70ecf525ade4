/**
 * `npm run bench -- <name> [args]`: runs `bench/<name>.ts`'s `main(args)`. Each bench prints its figures
 * and ends with one JSON line.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);
const available = readdirSync(benchDir)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts')
  .map((file) => file.replace(/\.ts$/, ''));
const file = path.join(benchDir, `${name ?? ''}.ts`);
if (!name || !existsSync(file)) {
  console.error(`usage: npm run bench -- <name> [args]; benches: ${available.join(', ')}`);
  process.exit(2);
}
const bench = (await import(pathToFileURL(file).href)) as { main?: (args: string[]) => Promise<unknown> };
if (!bench.main) throw new Error(`bench/${name}.ts exports no main(args)`);
await bench.main(args);
