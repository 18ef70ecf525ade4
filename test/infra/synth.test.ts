import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('cdk synth', () => {
  it('synthesizes the example production configuration offline, bundling every function with the local esbuild and the console with its own build', {
    timeout: 180_000,
  }, async () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'proleads-synth-'));
    await run(
      'npx',
      ['cdk', 'synth', '--quiet', '-c', 'config=config/prod.example.json', '--output', outdir],
      {
        env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const assets = readdirSync(outdir).filter((name) => name.startsWith('asset.') && !name.endsWith('.zip'));
    const holding = (file: string) => assets.filter((asset) => existsSync(path.join(outdir, asset, file)));
    // The admin console: its built index.html and every script it loads, and its runtime config.json.
    const [consoleAsset, ...otherConsoles] = holding('index.html');
    expect(otherConsoles).toEqual([]);
    const consoleDir = path.join(outdir, consoleAsset ?? 'missing');
    const scripts = [
      ...readFileSync(path.join(consoleDir, 'index.html'), 'utf8').matchAll(/src="\/([^"]+\.js)"/g),
    ];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, script] of scripts) expect(existsSync(path.join(consoleDir, script ?? ''))).toBe(true);
    expect(holding('config.json')).toHaveLength(1);
    // CDK's own file-deployment handler (Python); every other asset is one of our functions.
    const functions = assets.filter(
      (asset) =>
        ![...holding('index.html'), ...holding('config.json'), ...holding('index.py')].includes(asset),
    );
    expect(functions.length).toBeGreaterThan(5);
    for (const asset of functions) expect(existsSync(path.join(outdir, asset, 'index.mjs'))).toBe(true);
  });
});
