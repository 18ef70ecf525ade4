import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench -- <name> [args]` runs `bench/<name>.ts` as its own script (each bench prints its figures
 * and ends with one JSON line).
 */
const benchDir = path.dirname(fileURLToPath(import.meta.url));
const available = readdirSync(benchDir)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts')
  .map((file) => file.slice(0, -'.ts'.length));
const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join(' | ')}> [args]`);
  process.exit(2);
}
const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(benchDir, `${name}.ts`), ...args], {
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
