import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { AppConfig } from './config';
import { readDeployConfig } from './deploy-config';
import { ProleadsStack } from './proleads-stack';

const packageJson = JSON.parse(
  readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../package.json'), 'utf8'),
) as { version: string };

export interface BuildAppOptions extends AppProps {
  /** Configuration given directly (tests, local runtime); otherwise read from context. */
  readonly config?: AppConfig;
  /** Skip esbuild bundling: for tests and the local runtime, which only read the template. */
  readonly skipBundling?: boolean;
}

/**
 * Builds the CDK app: configuration from `-c config=<json file>` (or a `proleads` context key), validated
 * and refused while it holds placeholder addresses; one stack; cdk-nag's AWS Solutions checks as a validation plugin, so any unacknowledged finding
 * fails synthesis.
 */
export const buildApp = (options: BuildAppOptions = {}) => {
  const { config: given, skipBundling, ...appProps } = options;
  const app = new App({
    ...appProps,
    context: { ...appProps.context, ...(skipBundling ? { 'aws:cdk:bundling-stacks': [] } : {}) },
  });
  const config = given ?? readDeployConfig((key) => app.node.tryGetContext(key));
  const stack = new ProleadsStack(app, `Proleads-${config.stage}`, {
    config,
    buildVersion: packageJson.version,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, config };
};
