import type { Server } from 'node:http';
import { MEMBER_ID_PATTERN } from '../lambdas/shared/model';
import * as z from '../lambdas/shared/zod';
import { type AppConfig, devConfig } from '../lib/config';
import { type ConsoleBuild, ensureConsoleBuilt } from '../lib/console-build';
import { routesFromTemplate, startFrontDoor } from './api-gateway';
import { apiKeysFromTemplate } from './api-keys';
import { type ConsoleServer, startConsoleServer } from './console-server';
import {
  createDevAutomailerClient,
  DEV_AUTOMAILER_ASSERTION_PATH,
  DEV_AUTOMAILER_JWKS_PATH,
  type DevAutomailerClient,
} from './dev-automailer';
import {
  createDevPlatformIdentity,
  DEV_ROLES,
  type DevPlatformIdentity,
  devTokenClaims,
} from './dev-identity';
import { createDevOidcProvider, type DevOidcProvider } from './dev-oidc';
import { DEV_SENT_EMAILS_PATH, DEV_SES_FEEDBACK_PATH, DEV_TOKENS_PATH } from './dev-paths';
import { type Emulators, startEmulators } from './emulators';
import { type LocalIngest, startLocalIngest } from './ingest';
import { createLambdaHost, type LambdaHost } from './lambda-host';
import { gatewayResponseFromTemplate } from './request-validation';
import { createLocalResources, type LocalResources } from './resources';
import { createLocalEventBus, type LocalEventBus, startLocalRules } from './rules';
import { type LocalScheduler, startLocalScheduler } from './scheduler';
import { sesFeedbackEvent } from './ses-feedback';
import { type SqsEventSources, startSqsEventSources } from './sqs-event-source';
import { type CfnTemplate, loadTemplate } from './template';
import { startVerifierStandIn, type VerifierStandIn } from './verifier/stand-in';

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
  /** A real Rapid Email Verifier instead of the local stand-in (`VERIFIER_BASE_URL=... npm start`). */
  readonly verifier?: { readonly baseUrl: string; readonly pathPrefix?: string };
  /**
   * Function folders whose SQS event sources stay disabled (like an event source mapping with
   * `Enabled: false`): messages wait in their queue. Tests of a producer use it to see what it sent.
   */
  readonly disabledConsumers?: readonly string[];
  /** Fire due schedules by the wall clock (`npm start`); tests move time with `scheduler.runDue(at)`. */
  readonly fireSchedules?: boolean;
  /**
   * Serve the admin console on its own origin (built first when `web/dist` is missing or stale). The API's
   * CORS origin is then that console origin, so the template is synthesized for it (a given one is not used).
   */
  readonly console?: { readonly port?: number };
  /** The local OpenID provider: lifetime of the access tokens it issues (default one hour). */
  readonly oidc?: { readonly accessTokenSeconds?: number };
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
  /** AutoMailer's usage-plan API key: the value of the stack's generated key secret. */
  readonly apiKey: string;
  /** Plays AutoMailer's server: its registered key pair and client assertions. */
  readonly automailer: DevAutomailerClient;
  /** The local verifier stand-in (fault injection, stats); absent when a real verifier is configured. */
  readonly verifier?: VerifierStandIn;
  /** The template's SQS -> Lambda mappings, polled like Lambda does; `waitForIdle()` for tests. */
  readonly eventSources: SqsEventSources;
  /** The default EventBridge bus's pattern rules: `put` an event AWS would publish (an SES bounce). */
  readonly events: LocalEventBus;
  /** S3 upload -> ingest wiring (S3 notifications); `idle()` for tests. */
  readonly ingest: LocalIngest;
  /** The local OpenID provider of the dev admin (`<url>/.dev/oidc`), which the console signs in with. */
  readonly oidc: DevOidcProvider;
  /** The local OpenID provider's issuer: `<url>/.dev/oidc`. */
  readonly oidcIssuer: string;
  /** The admin console's origin, when served (`console` option); the API's CORS origin. */
  readonly consoleUrl?: string;
  /** How the console build went: fresh, built now, or unavailable (and why). */
  readonly consoleBuild?: ConsoleBuild;
  /** Where the template came from: given by the caller, reused from an earlier start, or synthesized now. */
  readonly templateSource: 'given' | 'reused' | 'synthesized';
  stop(): Promise<void>;
}

export const DEV_JWKS_PATH = '/.dev/platform-jwks.json';

const devTokenQuerySchema = z.object({
  role: z.enum(DEV_ROLES),
  // A member's token names a member id; an admin's follows the same rule, for one simple check.
  sub: z.optional(z.string().check(z.regex(MEMBER_ID_PATTERN))),
});

const devSesFeedbackQuerySchema = z.object({
  member: z.string().check(z.regex(MEMBER_ID_PATTERN)),
  address: z.email(),
  type: z.enum(['hard-bounce', 'soft-bounce', 'complaint']),
});

const jsonAnswer = (status: number, body: unknown) => ({
  status,
  headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  body: JSON.stringify(body),
});

/**
 * The whole pipeline on one machine: emulators, resources from the synthesized template, the functions with
 * their template environments, the API Gateway front door, the SQS event sources, and a verifier stand-in.
 */
export const startLocalStack = async (options: LocalStackOptions = {}): Promise<LocalStack> => {
  let apiUrl = '';
  let uploadOrigin = '';
  const consoleBuild = options.console ? buildConsole() : undefined;
  const adminConsole: ConsoleServer | undefined = options.console
    ? await startConsoleServer({
        port: options.console.port,
        unavailable: consoleBuild?.state === 'unavailable' ? consoleBuild.reason : undefined,
        uploadOrigin: () => uploadOrigin,
        runtimeConfig: () => ({
          apiUrl,
          oidc: { issuer: oidc.issuer(), clientId: oidc.clientId, scope: config.adminConsole.oidc.scope },
        }),
      })
    : undefined;
  const givenConfig = options.config ?? devConfig();
  const config: AppConfig = adminConsole ? { ...givenConfig, adminOrigin: adminConsole.url } : givenConfig;
  // The emulators start while the template loads (each waits on its own I/O).
  const emulatorsStarting = startEmulators({ dataDir: options.dataDir });
  const given = !adminConsole ? options.template : undefined;
  const loaded = given
    ? { template: given, source: 'given' as const }
    : await loadTemplate(config).catch(async (error: unknown) => {
        await (await emulatorsStarting).stop();
        throw error;
      });
  const { template } = loaded;
  const emulators = await emulatorsStarting;
  uploadOrigin = new URL(emulators.endpoints.S3).origin;
  const resources = await createLocalResources(template, emulators);
  const identity = await createDevPlatformIdentity(config.jwt);
  const oidc = createDevOidcProvider({
    baseUrl: () => apiUrl,
    consoleOrigin: () => adminConsole?.url,
    identity,
    clientId: config.adminConsole.oidc.clientId,
    accessTokenSeconds: options.oidc?.accessTokenSeconds,
  });
  const automailer = await createDevAutomailerClient(config.automailer);
  const apiKeys = apiKeysFromTemplate(template, resources, emulators.secrets);

  let lambdas: LambdaHost | undefined;
  let events: LocalEventBus | undefined;
  const frontDoor = await startFrontDoor({
    routes: routesFromTemplate(template),
    invoke: (logicalId, event) => {
      if (!lambdas) throw new Error('Lambda host not ready');
      return lambdas.invoke(logicalId, event);
    },
    apiKeys: () => apiKeys,
    gatewayError: (responseType, status) => gatewayResponseFromTemplate(template, responseType, status),
    port: options.port,
    extras: {
      ...oidc.routes,
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
      // Plays the main platform's sign-in for local clients (`npm run demo`, curl): the front door only
      // exists locally, so this route never reaches AWS.
      [DEV_TOKENS_PATH]: async (url) => {
        const query = devTokenQuerySchema.safeParse(Object.fromEntries(url.searchParams));
        if (!query.success)
          return jsonAnswer(400, {
            error: 'BadRequest',
            message: 'give role=admin or role=member, and optionally sub=<1-64 letters, digits or . _ : ->',
          });
        const claims = devTokenClaims(query.data.role, query.data.sub);
        return jsonAnswer(200, { token: await identity.mint(claims), sub: claims.sub, role: claims.role });
      },
      [DEV_SES_FEEDBACK_PATH]: async (url, request) => {
        if (request.method !== 'POST')
          return jsonAnswer(405, { error: 'MethodNotAllowed', message: 'POST the feedback' });
        const query = devSesFeedbackQuerySchema.safeParse(Object.fromEntries(url.searchParams));
        if (!query.success)
          return jsonAnswer(400, {
            error: 'BadRequest',
            message: 'give member=<id>, address=<email> and type=hard-bounce, soft-bounce or complaint',
          });
        if (!events) throw new Error('event bus not ready');
        const { member, address, type } = query.data;
        const results = await events.put(
          sesFeedbackEvent(`proleads-${config.stage}`, { memberId: member, address, kind: type }),
        );
        return jsonAnswer(200, { recorded: results.flat() });
      },
      [DEV_SENT_EMAILS_PATH]: async () => {
        const store = await fetch(`${emulators.endpoints.SES}/store`);
        return {
          status: store.status,
          headers: { 'Content-Type': 'application/json' },
          body: await store.text(),
        };
      },
    },
  });
  apiUrl = frontDoor.url;
  const scheduler = await startLocalScheduler({
    template,
    resources,
    dataDir: options.dataDir,
    invoke: (logicalId, event) => {
      if (!lambdas) throw new Error('Lambda host not ready');
      return lambdas.invoke(logicalId, event);
    },
  });
  const verifier = options.verifier ? undefined : await startVerifierStandIn();
  const verifierEndpoint = options.verifier ?? {
    baseUrl: verifier?.origin ?? '',
    pathPrefix: verifier?.pathPrefix,
  };
  const host = createLambdaHost(template, resources, {
    JWT_JWKS_URL: `${frontDoor.url}${DEV_JWKS_PATH}`,
    AWS_ENDPOINT_URL_SCHEDULER: scheduler.url,
    VERIFIER_BASE_URL: verifierEndpoint.baseUrl,
    ...(verifierEndpoint.pathPrefix === undefined
      ? {}
      : { VERIFIER_PATH_PREFIX: verifierEndpoint.pathPrefix }),
    AUTOMAILER_CLIENT_JWKS_URL: `${frontDoor.url}${DEV_AUTOMAILER_JWKS_PATH}`,
    ...options.env,
  });
  lambdas = host;
  events = createLocalEventBus(template, host);
  const disabled = new Set((options.disabledConsumers ?? []).flatMap((folder) => host.functionsOf(folder)));
  const eventSources = startSqsEventSources(template, resources, host.invoke, {
    enabled: (mapping) => !disabled.has(mapping.functionLogicalId),
  });
  const ingest = await startLocalIngest(template, resources, emulators, host, options.dataDir);
  if (options.fireSchedules) scheduler.start();
  // The scheduled EventBridge rules (stale-upload sweeper, scheduler watchdog) run with the wall clock too.
  const rules = options.fireSchedules ? startLocalRules(template, host) : undefined;

  return {
    url: frontDoor.url,
    config,
    template,
    templateSource: loaded.source,
    emulators,
    resources,
    lambdas: host,
    identity,
    scheduler,
    apiKey: apiKeys[0] ?? '',
    automailer,
    verifier,
    eventSources,
    events,
    ingest,
    oidc,
    oidcIssuer: oidc.issuer(),
    ...(adminConsole ? { consoleUrl: adminConsole.url } : {}),
    ...(consoleBuild ? { consoleBuild } : {}),
    async stop() {
      rules?.stop();
      await ingest.stop();
      await eventSources.stop();
      await verifier?.stop();
      await scheduler.stop();
      await closeServer(frontDoor.server);
      if (adminConsole) await closeServer(adminConsole.server);
      await emulators.stop();
    },
  };
};

/** A failed build is not fatal to the API: the console serves the failure instead of the app. */
const buildConsole = (): ConsoleBuild => {
  try {
    return ensureConsoleBuilt();
  } catch (error) {
    return { state: 'unavailable', reason: error instanceof Error ? error.message : String(error) };
  }
};

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
