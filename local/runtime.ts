import type { Server } from 'node:http';
import { type AppConfig, devConfig } from '../lib/config';
import { routesFromTemplate, startFrontDoor } from './api-gateway';
import { apiKeysFromTemplate } from './api-keys';
import {
  createDevAutomailerClient,
  DEV_AUTOMAILER_ASSERTION_PATH,
  DEV_AUTOMAILER_JWKS_PATH,
  type DevAutomailerClient,
} from './dev-automailer';
import { createDevPlatformIdentity, type DevPlatformIdentity } from './dev-identity';
import { type Emulators, startEmulators } from './emulators';
import { createLambdaHost, type LambdaHost } from './lambda-host';
import { createLocalResources, type LocalResources } from './resources';
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
}

export interface LocalStack {
  readonly url: string;
  readonly config: AppConfig;
  readonly template: CfnTemplate;
  readonly emulators: Emulators;
  readonly resources: LocalResources;
  readonly lambdas: LambdaHost;
  readonly identity: DevPlatformIdentity;
  /** AutoMailer's usage-plan API key: the value of the stack's generated key secret. */
  readonly apiKey: string;
  /** Plays AutoMailer's server: its registered key pair and client assertions. */
  readonly automailer: DevAutomailerClient;
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
  const automailer = await createDevAutomailerClient(config.automailer);
  const apiKeys = apiKeysFromTemplate(template, resources, emulators.secrets);

  let lambdas: LambdaHost | undefined;
  const frontDoor = await startFrontDoor({
    routes: routesFromTemplate(template),
    invoke: (logicalId, event) => {
      if (!lambdas) throw new Error('Lambda host not ready');
      return lambdas.invoke(logicalId, event);
    },
    apiKeys: () => apiKeys,
    port: options.port,
    extras: {
      [DEV_JWKS_PATH]: () => ({
        status: 200,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(identity.jwks),
      }),
      [DEV_AUTOMAILER_JWKS_PATH]: () => ({
        status: 200,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ keys: [automailer.keys.publicJwk] }),
      }),
      [DEV_AUTOMAILER_ASSERTION_PATH]: async () => ({
        status: 200,
        headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' },
        body: await automailer.assertion(),
      }),
    },
  });
  lambdas = createLambdaHost(template, resources, {
    JWT_JWKS_URL: `${frontDoor.url}${DEV_JWKS_PATH}`,
    AUTOMAILER_CLIENT_JWKS_URL: `${frontDoor.url}${DEV_AUTOMAILER_JWKS_PATH}`,
    ...options.env,
  });

  return {
    url: frontDoor.url,
    config,
    template,
    emulators,
    resources,
    lambdas,
    identity,
    apiKey: apiKeys[0] ?? '',
    automailer,
    async stop() {
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
