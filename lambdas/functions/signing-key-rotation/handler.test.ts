import { randomUUID } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SecretsStandIn, startSecretsStandIn } from '../../../local/secrets-stand-in';
import { loadEvent } from '../../../test/support/events';
import {
  generateSigningKey,
  type KeySet,
  parseKeySet,
  serializeKeySet,
} from '../../automailer/domain/signing-keys';
import { awsClientConfig } from '../../shared/aws';
import { createHandler, type SigningKeyRotationEvent } from './handler';

const secretId = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:AutomailerSigningKeys';
const activationSeconds = 600;
const t0 = new Date('2025-03-10T12:00:00.000Z');

let secrets: SecretsStandIn;
let clockNow: Date;
let initial: KeySet;
beforeAll(async () => {
  secrets = await startSecretsStandIn();
});
afterAll(() => secrets.stop());
beforeEach(async () => {
  clockNow = t0;
  initial = { current: await generateSigningKey(t0) };
  secrets.set(secretId, serializeKeySet(initial));
});

const handler = () =>
  createHandler(
    {
      SIGNING_KEYS_SECRET_ARN: secretId,
      SIGNING_KEY_ACTIVATION_SECONDS: String(activationSeconds),
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
      AWS_REGION: 'us-east-1',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
    () => clockNow,
  );

/** Secrets Manager's RotateSecret: stage a version AWSPENDING, then call each step in order. */
const rotateAll = async (token = randomUUID()) => {
  const rotation = handler();
  secrets.beginRotation(secretId, token);
  for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) {
    await rotation({ Step, SecretId: secretId, ClientRequestToken: token });
  }
  return token;
};

const current = () => parseKeySet(secrets.get(secretId) ?? '');

describe('signing key rotation', () => {
  it('makes a new current key and keeps the old one as previous', async () => {
    await rotateAll();

    const { current: next, previous } = current();
    expect(previous?.kid).toBe(initial.current.kid);
    expect(next.kid).not.toBe(initial.current.kid);
  });

  it('is idempotent per step: a redelivered createSecret keeps the pending key it made', async () => {
    // Arrange
    const rotation = handler();
    const token = randomUUID();
    secrets.beginRotation(secretId, token);
    const step = (Step: 'createSecret' | 'finishSecret') =>
      rotation({ Step, SecretId: secretId, ClientRequestToken: token });

    const pending = async () =>
      (
        await new SecretsManagerClient(
          awsClientConfig({ AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url }, 'SECRETS_MANAGER'),
        ).send(
          new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' }),
        )
      ).SecretString;

    // Act
    await step('createSecret');
    const first = await pending();
    await step('createSecret');
    const second = await pending();
    await step('finishSecret');

    // Assert: one new key, current now, with the old one as previous (not a rotation of a rotation).
    expect(second).toBe(first);
    expect(current().current.kid).toBe(parseKeySet(first ?? '').current.kid);
    expect(current().previous?.kid).toBe(initial.current.kid);
  });

  it('gives a secret that holds no key set yet a fresh key set', async () => {
    secrets.set(secretId, 'cloudformation-generated-random');

    await rotateAll();

    expect(current().previous).toBeUndefined();
  });

  it('refuses a version that Secrets Manager did not stage for rotation, and another secret', async () => {
    const rotation = handler();

    await expect(
      rotation({ Step: 'createSecret', SecretId: secretId, ClientRequestToken: randomUUID() }),
    ).rejects.toThrow(/no stage for rotation/);
    const sample = loadEvent<SigningKeyRotationEvent>('secretsmanager/rotation-create-secret.json');
    await expect(rotation(sample)).rejects.toThrow();
  });

  it('drops the previous key only once none of its tokens can still be valid', async () => {
    // Arrange
    await rotateAll();
    const rotatedAt = Date.parse(current().current.createdAt ?? '');
    const safeAt = rotatedAt + (activationSeconds + 300 + 60) * 1000;

    // Act / Assert: a second early is refused, and the set is unchanged.
    clockNow = new Date(safeAt - 1000);
    await expect(handler()({ action: 'dropPreviousKey' })).rejects.toThrow(/may still be valid/);
    expect(current().previous).toBeDefined();

    // Act / Assert: from then on it goes, and a second drop has nothing to do.
    clockNow = new Date(safeAt);
    await expect(handler()({ action: 'dropPreviousKey' })).resolves.toMatchObject({ dropped: true });
    expect(current().previous).toBeUndefined();
    await expect(handler()({ action: 'dropPreviousKey' })).resolves.toMatchObject({ dropped: false });
  });
});
