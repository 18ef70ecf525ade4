import {
  DescribeSecretCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { createLocalJWKSet } from 'jose';
import { holdsNoKeySet } from '../../automailer/adapters/signing-key-store';
import {
  dropPreviousKey,
  generateSigningKey,
  type KeySet,
  parseKeySet,
  previousKeyDroppableAt,
  publicJwks,
  rotate,
  serializeKeySet,
  signIdentityToken,
  verifyIdentityToken,
} from '../../automailer/domain/signing-keys';
import { SigningKeysEnv } from '../../automailer/settings';
import { type Env, readEnv } from '../../shared/env';
import { createLogger } from '../../shared/logger';
import { createSecretsClient, readSecretString, type SecretVersion } from '../../shared/secrets';
import * as z from '../../shared/zod';

/** What Secrets Manager sends a rotation function, once per step. */
const rotationStepSchema = z.object({
  Step: z.enum(['createSecret', 'setSecret', 'testSecret', 'finishSecret']),
  SecretId: z.string().check(z.minLength(1)),
  ClientRequestToken: z.string().check(z.minLength(32), z.maxLength(64)),
});

/** An operator's manual invoke, once the rotated-out key may leave the JWKS. */
const dropPreviousSchema = z.strictObject({ action: z.literal('dropPreviousKey') });

const eventSchema = z.union([rotationStepSchema, dropPreviousSchema]);
export type SigningKeyRotationEvent = z.input<typeof eventSchema>;

const PROBE_ISSUER = 'proleads-rotation-test';

/**
 * Rotates the AutoMailer signing key set with Secrets Manager's four-step protocol (scheduled by the stack),
 * and drops the rotated-out key on request.
 * - createSecret: AWSPENDING = rotate(AWSCURRENT): a new key, the old current kept as `previous` (published,
 *   still signing until the new key's activation delay has passed); a secret with no key set yet gets a
 *   fresh one. Idempotent per ClientRequestToken.
 * - setSecret: nothing to do; the keys live only in this secret.
 * - testSecret: the pending set parses and its current key signs a token that verifies through its JWKS.
 * - finishSecret: AWSCURRENT moves to the pending version.
 * - { action: 'dropPreviousKey' }: once no token of the previous key can still be valid, write the set
 *   without it; earlier, refuse with the time it becomes safe.
 */
export const createHandler = (env: Env, clock: () => Date = () => new Date()) => {
  const config = readEnv(SigningKeysEnv, env);
  const logger = createLogger(env);
  const secrets = createSecretsClient(env);
  const secretId = config.SIGNING_KEYS_SECRET_ARN;

  const read = (version: SecretVersion) => readSecretString(secrets, secretId, version);

  const pendingExists = async (token: string) => {
    try {
      await read({ VersionId: token, VersionStage: 'AWSPENDING' });
      return true;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return false;
      throw error;
    }
  };

  const steps = {
    async createSecret(token: string) {
      if (await pendingExists(token)) return;
      const current = await read({ VersionStage: 'AWSCURRENT' });
      const next: KeySet = holdsNoKeySet(current)
        ? { current: await generateSigningKey(clock()) }
        : await rotate(parseKeySet(current ?? ''), () => generateSigningKey(clock()));
      await secrets.send(
        new PutSecretValueCommand({
          SecretId: secretId,
          ClientRequestToken: token,
          SecretString: serializeKeySet(next),
          VersionStages: ['AWSPENDING'],
        }),
      );
      logger.info('signing key created', { kid: next.current.kid, previousKid: next.previous?.kid });
    },
    async setSecret() {},
    async testSecret(token: string) {
      const pending = parseKeySet((await read({ VersionId: token, VersionStage: 'AWSPENDING' })) ?? '');
      const now = clock();
      const probe = await signIdentityToken(
        pending,
        {
          sub: 'rotation-probe',
          email: 'probe@proleads.invalid',
          name: '',
          tier: 'probe',
          subscriptionStatus: 'probe',
        },
        { issuer: PROBE_ISSUER, audience: PROBE_ISSUER, now },
      );
      await verifyIdentityToken(probe.token, {
        keys: createLocalJWKSet(publicJwks(pending)),
        issuer: PROBE_ISSUER,
        audience: PROBE_ISSUER,
        now,
      });
    },
    async finishSecret(token: string) {
      const { VersionIdsToStages = {} } = await secrets.send(
        new DescribeSecretCommand({ SecretId: secretId }),
      );
      const currentVersion = Object.entries(VersionIdsToStages).find(([, stages]) =>
        stages.includes('AWSCURRENT'),
      )?.[0];
      if (currentVersion === token) return;
      await secrets.send(
        new UpdateSecretVersionStageCommand({
          SecretId: secretId,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: token,
          RemoveFromVersionId: currentVersion,
        }),
      );
      logger.info('signing key rotation finished', { versionId: token });
    },
  };

  /** Secrets Manager's own guards: only our secret, with rotation on, and a version staged for this token. */
  const checkRotatable = async (requestedSecret: string, token: string) => {
    const described = await secrets.send(new DescribeSecretCommand({ SecretId: requestedSecret }));
    if (described.ARN !== secretId && requestedSecret !== secretId) {
      throw new Error('This function rotates only the AutoMailer signing key secret');
    }
    if (!described.RotationEnabled) throw new Error('Rotation is not enabled on the signing key secret');
    const stages = described.VersionIdsToStages?.[token];
    if (!stages) throw new Error(`Version ${token} has no stage for rotation`);
    return stages;
  };

  return async (event: unknown): Promise<{ dropped?: boolean; kid?: string } | undefined> => {
    const parsed = eventSchema.parse(event);
    if ('action' in parsed) {
      const keySet = parseKeySet((await read({ VersionStage: 'AWSCURRENT' })) ?? '');
      const droppableAt = previousKeyDroppableAt(keySet, config.SIGNING_KEY_ACTIVATION_SECONDS);
      if (!droppableAt) return { dropped: false, kid: keySet.current.kid };
      if (clock() < droppableAt) {
        throw new Error(
          `Tokens of the previous key may still be valid; drop it after ${droppableAt.toISOString()}`,
        );
      }
      await secrets.send(
        new PutSecretValueCommand({
          SecretId: secretId,
          SecretString: serializeKeySet(dropPreviousKey(keySet)),
        }),
      );
      logger.info('previous signing key dropped', {
        kid: keySet.current.kid,
        droppedKid: keySet.previous?.kid,
      });
      return { dropped: true, kid: keySet.current.kid };
    }
    const stages = await checkRotatable(parsed.SecretId, parsed.ClientRequestToken);
    if (stages.includes('AWSCURRENT')) return undefined;
    if (!stages.includes('AWSPENDING')) throw new Error('The rotation version is not staged AWSPENDING');
    await steps[parsed.Step](parsed.ClientRequestToken);
    return undefined;
  };
};
