import { buildApp } from '../lib/app';
import { type AppConfig, devConfig } from '../lib/config';
import type { CfnTemplate } from './template';

/**
 * The stack's CloudFormation template, synthesized in-process without bundling. The local runtime and the
 * tests build every table, queue, bucket, function environment, event wiring and API route from it, so a
 * resource added in `lib/` shows up locally without another edit.
 */
export const synthTemplate = (config: AppConfig = devConfig()): CfnTemplate => {
  const { app, stack } = buildApp({ config, skipBundling: true });
  return app.synth().getStackByName(stack.stackName).template as CfnTemplate;
};
