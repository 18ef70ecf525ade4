import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { type AppConfig, devConfig } from '../lib/config';
import { routesFromTemplate, startFrontDoor } from './api-gateway';
import { createDevPlatformIdentity, type DevPlatformIdentity } from './dev-identity';
import { type Emulators, startEmulators } from './emulators';
import { createLambdaHost, type LambdaHost } from './lambda-host';
import { createLocalResources, type LocalResources } from './resources';
import { type LocalScheduler, startLocalScheduler } from './scheduler';
import { type CfnTemplate, synthTemplate } from './template';

export interface LocalStackOptions {
  /** Persist DynamoDB, S3 and SQS data here; in memory when absent. */
  readonly dataDir?: string;
  /** Front door port; a free one when absent. */
  readonly port?: number;
  readonly config?: AppConfig;
  /** A template synthesized earlier (tests share one); synthesized now when absent. */
  readonly template?: CfnTemplate;
  /** Extra environment for every function (for example a log level). */
  readonly env?: Record<string, string>;
  /** Fire due schedules by the wall clock (`npm start`); tests move time with `scheduler.runDue(at)`. */
  readonly fireSchedules?: boolean;
}

export interface LocalStack {
  readonly url: string;
  readonly config: AppConfig;
  readonly template: CfnTemplate;
  readonly emulators: Emulators;
  readonly resources: LocalResources;
  readonly lambdas: LambdaHost;
  readonly identity: DevPlatformIdentity;
  /** The EventBridge Scheduler stand-in (local/scheduler.ts). */
  readonly scheduler: LocalScheduler;
  /** The API key accepted on partner routes (AutoMailer's usage-plan key). */
  readonly apiKey: string;
  stop(): Promise<void>;
}

export const DEV_JWKS_PATH = '/.dev/platform-jwks.json';

/**
 * The whole pipeline on one machine: emulators, resources from the synthesized template, the functions with
 * their template environments, and the API Gateway front door.
 */
export const startLocalStack = async (options: LocalStackOptions = {}): Promise<LocalStack> => {
  const config = options.config ?? devConfig();
  const template = options.template ?? synthTemplate(config);
  const emulators = await startEmulators({ dataDir: options.dataDir });
  const resources = await createLocalResources(template, emulators);
  const identity = await createDevPlatformIdentity(config.jwt);
  const apiKey = `local-${randomBytes(16).toString('hex')}`;

  let lambdas: LambdaHost | undefined;
  const frontDoor = await startFrontDoor({
    routes: routesFromTemplate(template),
    invoke: (logicalId, event) => {
      if (!lambdas) throw new Error('Lambda host not ready');
      return lambdas.invoke(logicalId, event);
    },
    apiKeys: () => [apiKey],
    port: options.port,
    extras: {
      [DEV_JWKS_PATH]: () => ({
        status: 200,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(identity.jwks),
      }),
    },
  });
  const scheduler = await startLocalScheduler({
    template,
    resources,
    dataDir: options.dataDir,
    invoke: (logicalId, event) => {
      if (!lambdas) throw new Error('Lambda host not ready');
      return lambdas.invoke(logicalId, event);
    },
  });
  lambdas = createLambdaHost(template, resources, {
    JWT_JWKS_URL: `${frontDoor.url}${DEV_JWKS_PATH}`,
    AWS_ENDPOINT_URL_SCHEDULER: scheduler.url,
    ...options.env,
  });
  if (options.fireSchedules) scheduler.start();

  return {
    url: frontDoor.url,
    config,
    template,
    emulators,
    resources,
    lambdas,
    identity,
    scheduler,
    apiKey,
    async stop() {
      await scheduler.stop();
      await closeServer(frontDoor.server);
      await emulators.stop();
    },
  };
};

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
