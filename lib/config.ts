import { z } from 'zod';
import { MAX_MESSAGE_DELAY_SECONDS, SHORTFALL_POLICIES } from '../lambdas/contracts/limits';
import { isPhoneRegion } from '../lambdas/ingest/domain/phone';
import { isKnownTimeZone } from '../lambdas/schedules/domain/zoned-time';
import { verificationPolicyOverrideSchema } from '../lambdas/verification/domain/policy';

/**
 * The one typed place for the deployment's configuration. `bin/app.ts` reads it from CDK context
 * (`-c config=<file>` or cdk.json's `proleads` key), validates it here, and passes it down as props.
 * A bad value fails synth with a message naming the key.
 */
export const TierSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, 'tier names are lower-case slugs'),
  weeklyQuota: z.number().int().min(0).max(10_000),
});

export const AppConfigSchema = z
  .object({
    stage: z.string().regex(/^[a-z][a-z0-9-]{1,15}$/, 'stage must be a short lower-case slug'),
    /**
     * The only browser origin allowed by CORS (the API and the upload bucket). Absent: the admin console's
     * own CloudFront origin, which is where admins work unless another console is configured.
     */
    adminOrigin: z.url().optional(),
    /** The admin console (CloudFront + S3): how it signs admins in. */
    adminConsole: z.strictObject({
      oidc: z.strictObject({
        /**
         * The OpenID Connect issuer behind the platform's admin tokens: the console discovers it at
         * `<issuer>/.well-known/openid-configuration` and signs in with authorization code + PKCE.
         */
        issuer: z.url().refine((url) => url.startsWith('https://'), 'must be an https URL'),
        /** The console's public OAuth client id at that issuer; its redirect URI is `<console>/auth/callback`. */
        clientId: z.string().min(1).default('proleads-admin-console'),
        scope: z
          .string()
          .regex(/(^| )openid( |$)/, 'must include openid')
          .default('openid profile email'),
      }),
    }),
    tiers: z
      .array(TierSchema)
      .min(1)
      .max(10)
      .default([
        { name: 'starter', weeklyQuota: 10 },
        { name: 'growth', weeklyQuota: 25 },
        { name: 'pro', weeklyQuota: 50 },
        { name: 'elite', weeklyQuota: 100 },
      ]),
    maxAssignmentsPerLead: z.number().int().min(1).max(10).default(1),
    uploads: z
      .object({
        maxBytes: z
          .number()
          .int()
          .min(1)
          .max(5 * 1024 ** 3)
          .default(50 * 1024 * 1024),
        rawUploadExpiryDays: z.number().int().min(1).max(3650).default(30),
        foldProviderAliases: z.boolean().default(false),
        /** Region (ISO 3166-1 alpha-2) a phone written without its country code is read in. */
        defaultPhoneRegion: z
          .string()
          .refine(isPhoneRegion, 'defaultPhoneRegion must be a region code libphonenumber-js knows, e.g. GB')
          .default('US'),
        /** What makes a row a duplicate of an earlier lead: its email, or its email or its phone. */
        dedupeOn: z
          .union([z.tuple([z.literal('email')]), z.tuple([z.literal('email'), z.literal('phone')])])
          .default(['email']),
        /** An upload in `ingesting` with an expired lease and no progress this long is stuck: the sweeper acts. */
        staleAfterMinutes: z.number().int().min(5).max(1_440).default(20),
        /** Resumes from its checkpoint the sweeper tries before it fails a stuck upload with its last error. */
        maxResumeAttempts: z.number().int().min(0).max(10).default(3),
      })
      .prefault({}),
    verifier: z
      .object({
        baseUrl: z.url().default('https://rapid-email-verifier.fly.dev'),
        /** `/api` for the hosted service; '' for the RapidAPI variant. */
        pathPrefix: z.string().default('/api'),
        /** Full ARN of a Secrets Manager secret with the API key of a keyed variant (RapidAPI). */
        apiKeySecretArn: z.string().startsWith('arn:').optional(),
        /** Concurrent verification Lambdas, so calls toward the single small verifier host stay bounded. */
        maxConcurrency: z.number().int().min(2).max(100).default(2),
        timeoutMs: z.number().int().min(500).max(30_000).default(8_000),
        /** Overrides of the verification policy table (lambdas/verification/domain/policy.ts). */
        // The functions' schema is of zod's small build: it takes checks and a default as functions.
        policy: z._default(
          verificationPolicyOverrideSchema.check(
            z.refine((policy) => (policy.recheckDelaySeconds ?? 0) <= MAX_MESSAGE_DELAY_SECONDS, {
              message: `recheckDelaySeconds is at most ${MAX_MESSAGE_DELAY_SECONDS} (the SQS message timer)`,
            }),
          ),
          {},
        ),
      })
      .prefault({}),
    ses: z
      .object({
        sender: z.email(),
        maxSendRatePerSecond: z.number().int().min(1).max(1000).default(10),
      })
      .prefault({ sender: 'leads@proleads.example' }),
    jwt: z.object({
      issuer: z.string().min(1),
      audience: z.string().min(1),
      /** JWKS of the main platform. Keys are only ever taken from here, never from a token header. */
      jwksUrl: z.url(),
      algorithms: z
        .array(z.enum(['RS256', 'ES256', 'PS256']))
        .min(1)
        .default(['RS256']),
      /** Required `typ` header of platform access tokens (RFC 9068). */
      typ: z.string().min(1).default('at+jwt'),
      roleClaim: z.string().min(1).default('role'),
      clockToleranceSeconds: z.number().int().min(0).max(60).default(30),
    }),
    auth: z
      .object({
        /**
         * The oldest platform token (by its `iat`) the admin and member authorizers accept, whatever its
         * `exp` says: a token minted with a far-off expiry stops working after this.
         */
        maxTokenAgeSeconds: z
          .number()
          .int()
          .min(60)
          .max(7 * 86_400)
          .default(86_400),
      })
      .prefault({}),
    returns: z
      .object({
        /** A member can return a lead up to this many days after its delivery. */
        windowDays: z.number().int().min(1).max(90).default(7),
        /** At most this share (percent) of the leads a member received in a week can be returned. */
        maxPercentPerWeek: z.number().int().min(0).max(100).default(20),
      })
      .prefault({}),
    distribution: z
      .object({
        /** Where a member downloads their leads; the notification email links here. */
        leadsUrl: z.url().default('https://app.proleads.example/leads'),
        /** IANA zone of manual runs' week (scheduled runs use their schedule's zone). */
        timeZone: z.string().refine(isKnownTimeZone, 'must be an IANA time zone name').default('UTC'),
        /**
         * How long after its due time a schedule's run may take to succeed before the scheduler counts as
         * failing (Scheduler's delivery, Lambda's retries, a long run).
         */
        overdueSlackMinutes: z.number().int().min(5).max(1_440).default(30),
        /** Weekly quotas of unmet entitlement a member carries into the next week (0: a short week is forgotten). */
        carryOverWeeks: z.number().int().min(0).max(52).default(1),
        /** How a short supply is shared: the same fraction of what each is owed, or the same count per head. */
        shortfallPolicy: z.enum(SHORTFALL_POLICIES).default('proportional'),
      })
      .prefault({}),
    automailer: z
      .object({
        /** AutoMailer's client id: the identity token's `aud`, and `iss` = `sub` of its client assertions. */
        clientId: z
          .string()
          .regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'clientId must be a lower-case slug')
          .default('automailer'),
        /** Where members' browsers go with the one-time code (AutoMailer's SSO callback). */
        redirectUri: z.url(),
        /** `iss` of our identity tokens, and the `aud` AutoMailer puts in its client assertions. */
        issuer: z.string().min(1),
        /** AutoMailer's published public keys for its client assertions... */
        clientJwksUrl: z.url().optional(),
        /** ...or one registered public key (EC P-256 or RSA) when AutoMailer publishes no JWKS. */
        clientPublicJwk: z.looseObject({ kty: z.enum(['EC', 'RSA']) }).optional(),
        usagePlan: z
          .object({
            /** Steady requests per second for AutoMailer's key (API Gateway's token-bucket rate). */
            rateLimit: z.number().min(1).max(50).default(2),
            burstLimit: z.number().int().min(1).max(100).default(5),
            dailyQuota: z.number().int().min(1).max(1_000_000).default(10_000),
          })
          .prefault({})
          .refine((plan) => plan.burstLimit >= plan.rateLimit, {
            message: 'burstLimit must be at least rateLimit',
            path: ['burstLimit'],
          }),
      })
      .refine(
        (automailer) =>
          (automailer.clientJwksUrl === undefined) !== (automailer.clientPublicJwk === undefined),
        {
          message: 'give exactly one of clientJwksUrl and clientPublicJwk',
          path: ['clientJwksUrl'],
        },
      ),
    monitoring: z
      .object({
        /** Subscribed (email, confirmed by its owner) to the alarm topic; no subscription when absent. */
        alarmEmail: z.email().optional(),
        /** Alarm when the watchdog's weeks of supply left fall below this. */
        supplyWeeksAlarmBelow: z.number().min(0).max(52).default(2),
        /** Alarm when this percentage of verifier requests fails over 15 minutes. */
        verifierErrorRateAlarmPercent: z.number().min(0).max(100).default(10),
        /** Alarm when API Gateway answers more 5xx than this in 5 minutes. */
        api5xxAlarmCount: z.number().int().min(0).default(5),
      })
      .prefault({}),
    api: z
      .object({
        /**
         * API Gateway's CloudWatch role is one setting of the whole account and region
         * (`AWS::ApiGateway::Account`): exactly one stage per account and region sets this, and the others
         * leave it off, or stages overwrite each other's role and deleting one stage breaks the others' logs.
         */
        manageAccountCloudWatchRole: z.boolean().default(false),
      })
      .prefault({}),
    /**
     * Tables, the lead-hash pepper and the upload bucket survive the stack's deletion, with deletion
     * protection on, unless a stage says it is disposable (`false`: a dev stack then deletes cleanly,
     * emptying its buckets first).
     */
    retainData: z.boolean().default(true),
  })
  .strict()
  // Token kinds must differ in `aud` and `iss` as well as `typ` (RFC 8725 3.11-3.12).
  .refine((config) => config.automailer.clientId !== config.jwt.audience, {
    message: 'must differ from jwt.audience, so an identity token can never pass as a platform token',
    path: ['automailer', 'clientId'],
  })
  .refine((config) => config.automailer.issuer !== config.jwt.issuer, {
    message: 'must differ from jwt.issuer',
    path: ['automailer', 'issuer'],
  });

export type AppConfig = z.infer<typeof AppConfigSchema>;
export type AppConfigInput = z.input<typeof AppConfigSchema>;

export class ConfigError extends Error {}

/** Validates raw configuration, naming every bad key with its reason. */
export const parseAppConfig = (raw: unknown): AppConfig => {
  const result = AppConfigSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid Proleads configuration:\n${lines.join('\n')}`);
  }
  return result.data;
};

/** The configuration the local runtime and the tests deploy: no secrets, every URL local. */
export const devConfig = (overrides: Partial<AppConfigInput> = {}): AppConfig =>
  parseAppConfig({
    stage: 'dev',
    adminOrigin: 'http://localhost:5173',
    retainData: false,
    adminConsole: { oidc: { issuer: 'https://platform.proleads.example' } },
    jwt: {
      issuer: 'https://platform.proleads.example',
      audience: 'proleads-pipeline',
      jwksUrl: 'https://platform.proleads.example/.well-known/jwks.json',
    },
    automailer: {
      redirectUri: 'https://automailer.example/sso/proleads/callback',
      issuer: 'https://api.proleads.example/automailer',
      clientJwksUrl: 'https://automailer.example/.well-known/jwks.json',
    },
    ...overrides,
  });
