import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('cdk synth', () => {
  it('synthesizes offline, bundling every function with the local esbuild', {
    timeout: 180_000,
  }, async () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'proleads-synth-'));
    await run('npx', ['cdk', 'synth', '--quiet', '--output', outdir], {
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    });
    const assets = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect(existsSync(path.join(outdir, asset, 'index.mjs'))).toBe(true);
  });
});
