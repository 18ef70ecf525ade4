/**
 * The start-up benchmark: `npm run bench -- start [warm runs]` (default 3).
 *
 * Runs `npm start -- --in-memory` as a user would, on free ports, and times it from the spawn until the
 * summary is printed: once cold (no template kept from an earlier start, so it synthesizes the stack), then
 * warm (the template reused), median of the warm runs. Each run is stopped with Ctrl-C (SIGINT) before the
 * next. Prints the figures, then one JSON line with `coldStartMs` and `warmStartMs`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeLoopbackPort } from '../local/listen';
import { TEMPLATE_CACHE_FILE } from '../local/template';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SUMMARY_END = 'Stop: Ctrl-C';
const TIMEOUT_MS = 5 * 60_000;

const stopped = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    // npm runs the start script in its own process group: Ctrl-C reaches all of it.
    if (child.pid) process.kill(-child.pid, 'SIGINT');
  });

/**
 * One `npm start`: ms from the spawn until the summary's last line. Every run takes the same ports, as a
 * user's starts do: the console's origin is part of the configuration the template is synthesized for.
 */
const timeStart = async (port: number, consolePort: number): Promise<number> => {
  const started = performance.now();
  const child = spawn('npm', ['start', '--', '--in-memory'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), CONSOLE_PORT: String(consolePort) },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no summary within ${TIMEOUT_MS} ms:\n${output}`)),
        TIMEOUT_MS,
      );
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(SUMMARY_END)) {
          clearTimeout(timer);
          resolve(performance.now() - started);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited (${code}) before its summary:\n${output.slice(-3000)}`));
      });
    });
  } finally {
    await stopped(child);
  }
};

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export const main = async (args: string[]) => {
  const warmRuns = Number(args[0] ?? 3);
  const ports = [await freeLoopbackPort(), await freeLoopbackPort()] as const;
  rmSync(TEMPLATE_CACHE_FILE, { force: true });
  const cold = await timeStart(...ports);
  console.log(`cold start (template synthesized): ${(cold / 1000).toFixed(1)} s`);
  const warm: number[] = [];
  for (let run = 0; run < warmRuns; run++) {
    warm.push(await timeStart(...ports));
    console.log(`warm start ${run + 1} (template reused): ${((warm.at(-1) ?? 0) / 1000).toFixed(1)} s`);
  }
  const result = {
    bench: 'start',
    coldStartMs: Math.round(cold),
    warmStartMs: Math.round(median(warm)),
    warmRunsMs: warm.map(Math.round),
  };
  console.log(JSON.stringify(result));
  return result;
};
