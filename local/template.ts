import { buildApp } from '../lib/app';
import { type AppConfig, devConfig } from '../lib/config';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
}

/**
 * The stack's CloudFormation template, synthesized in-process without bundling. The local runtime and the
 * tests build every table, queue, bucket, function environment, event wiring and API route from it, so a
 * resource added in `lib/` shows up locally without another edit.
 */
export const synthTemplate = (config: AppConfig = devConfig()): CfnTemplate => {
  const { app, stack } = buildApp({ config, skipBundling: true });
  return app.synth().getStackByName(stack.stackName).template as CfnTemplate;
};

export const resourcesOfType = (template: CfnTemplate, ...types: string[]) =>
  Object.entries(template.Resources).filter(([, resource]) => types.includes(resource.Type));
