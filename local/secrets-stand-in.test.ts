import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigningKeyStore } from '../lambdas/automailer/adapters/signing-key-store';
import { awsClientConfig } from '../lambdas/shared/aws';
import { type SecretsStandIn, startSecretsStandIn } from './secrets-stand-in';

let standIn: SecretsStandIn;
let client: SecretsManagerClient;
beforeAll(async () => {
  standIn = await startSecretsStandIn();
  client = new SecretsManagerClient(
    awsClientConfig({ AWS_ENDPOINT_URL_SECRETS_MANAGER: standIn.url }, 'SECRETS_MANAGER'),
  );
});
afterAll(() => standIn.stop());

let counter = 0;
const freshSecret = (value = 'generated-by-cloudformation') => {
  counter += 1;
  const arn = `arn:aws:secretsmanager:us-east-1:000000000000:secret:Test${counter}`;
  standIn.set(arn, value);
  return arn;
};
const token = (name: string) => `${name}-${'0'.repeat(32)}`;

describe('Secrets Manager stand-in', () => {
  it('keeps PutSecretValue idempotent per ClientRequestToken and refuses another value for it', async () => {
    const SecretId = freshSecret();
    const put = (SecretString: string) =>
      client.send(new PutSecretValueCommand({ SecretId, SecretString, ClientRequestToken: token('v1') }));

    await put('first');
    await put('first');
    const refused = put('second');

    await expect(refused).rejects.toBeInstanceOf(ResourceExistsException);
    expect((await client.send(new GetSecretValueCommand({ SecretId }))).SecretString).toBe('first');
  });

  it('moves AWSCURRENT between versions and leaves AWSPREVIOUS on the old one', async () => {
    // Arrange
    const SecretId = freshSecret('one');
    const { VersionIdsToStages: before = {} } = await client.send(new DescribeSecretCommand({ SecretId }));
    const [firstVersion] = Object.keys(before);
    await client.send(
      new PutSecretValueCommand({
        SecretId,
        SecretString: 'two',
        ClientRequestToken: token('v2'),
        VersionStages: ['AWSPENDING'],
      }),
    );

    // Act
    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: token('v2'),
        RemoveFromVersionId: firstVersion,
      }),
    );

    // Assert
    const { VersionIdsToStages = {} } = await client.send(new DescribeSecretCommand({ SecretId }));
    expect(VersionIdsToStages[token('v2')]?.sort()).toEqual(['AWSCURRENT', 'AWSPENDING']);
    expect(VersionIdsToStages[firstVersion ?? '']).toEqual(['AWSPREVIOUS']);
    expect((await client.send(new GetSecretValueCommand({ SecretId }))).SecretString).toBe('two');
  });

  it('lets many cold starts that find no key set agree on one', async () => {
    // Arrange: eight containers, each with its own cache, start at once on an uninitialised secret.
    const secretId = freshSecret();
    const stores = Array.from({ length: 8 }, () =>
      createSigningKeyStore({ client, secretId, cacheSeconds: 60 }),
    );

    // Act
    const keySets = await Promise.all(stores.map((store) => store.load()));

    // Assert
    expect(new Set(keySets.map((keySet) => keySet.current.kid)).size).toBe(1);
  });
});
