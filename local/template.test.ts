import { describe, expect, it } from 'vitest';
import { devConfig } from '../lib/config';
import { templateInputs, templateKey } from './template';

describe('the kept template', () => {
  it('is keyed on every file the synthesis reads: lib/, bin/, cdk.json, the lockfile, the console sources and what lib/ imports', async () => {
    const inputs = await templateInputs();

    expect(inputs).toEqual(
      expect.arrayContaining([
        'lib/app.ts',
        'lib/proleads-stack.ts',
        'bin/app.ts',
        'cdk.json',
        'package.json',
        'package-lock.json',
        'node_modules/aws-cdk-lib/package.json',
        'local/synth.ts',
        'web/index.html',
      ]),
    );
    expect(inputs.some((file) => file.startsWith('lambdas/contracts/'))).toBe(true);
    expect(inputs.some((file) => file.startsWith('web/src/'))).toBe(true);
    expect(inputs.some((file) => file.startsWith('web/dist/') || file.includes('node_modules/.'))).toBe(
      false,
    );
  });

  it('gets another key when the configuration differs (the console origin is part of it)', async () => {
    const key = await templateKey(devConfig());

    expect(await templateKey(devConfig())).toBe(key);
    expect(await templateKey(devConfig({ adminOrigin: 'http://127.0.0.1:3101' }))).not.toBe(key);
  });

  it('gets another key when the account or region the app reads from the environment differs', async () => {
    const key = await templateKey(devConfig());
    const before = process.env.CDK_DEFAULT_REGION;
    process.env.CDK_DEFAULT_REGION = 'eu-west-3';
    try {
      expect(await templateKey(devConfig())).not.toBe(key);
    } finally {
      if (before === undefined) delete process.env.CDK_DEFAULT_REGION;
      else process.env.CDK_DEFAULT_REGION = before;
    }
  });
});
