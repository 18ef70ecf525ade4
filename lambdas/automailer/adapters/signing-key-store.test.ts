import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateSigningKey, type KeySet, serializeKeySet } from '../domain/signing-keys';
import {
  createPublishedKeySetReader,
  createSigningKeyStore,
  INITIAL_KEY_SET_VERSION,
} from './signing-key-store';

const secretId = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AutomailerSigningKeys-AbCdEf';
const secrets = mockClient(SecretsManagerClient);
const now = new Date('2025-03-10T12:00:00.000Z');

let ours: KeySet;
let theirs: KeySet;
beforeAll(async () => {
  ours = { current: await generateSigningKey(now) };
  theirs = { current: await generateSigningKey(now) };
});
beforeEach(() => secrets.reset());

const store = (clock: () => Date = () => now, cacheSeconds = 60) =>
  createSigningKeyStore({
    client: new SecretsManagerClient({ region: 'eu-west-1' }),
    secretId,
    cacheSeconds,
    clock,
    generate: async () => ours.current,
  });

describe('createSigningKeyStore', () => {
  it('writes the first key set under the fixed initial version when the secret holds only a random string', async () => {
    // Arrange: CloudFormation's generated value first, our key set once written.
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'Zk3@random-generated-password' })
      .resolves({ SecretString: serializeKeySet(ours) });

    // Act
    const keySet = await store().load();

    // Assert
    expect(keySet).toEqual(ours);
    expect(secrets.commandCalls(PutSecretValueCommand)[0]?.args[0].input).toEqual({
      SecretId: secretId,
      ClientRequestToken: INITIAL_KEY_SET_VERSION,
      SecretString: serializeKeySet(ours),
    });
  });

  it('adopts the key set of a cold start that won the race to write it', async () => {
    // Arrange: another container wrote its key set first; ours is refused for the same version id.
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'random' })
      .resolves({ SecretString: serializeKeySet(theirs) });
    secrets
      .on(PutSecretValueCommand)
      .rejects(new ResourceExistsException({ message: 'exists', $metadata: {} }));

    // Act / Assert: both containers now sign with the same key.
    await expect(store().load()).resolves.toEqual(theirs);
  });

  it('never overwrites a key set that is JSON but malformed, and says where it is broken', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ current: { kid: 'k' } }) });

    await expect(store().load()).rejects.toThrow(/malformed at: current\.privateJwk/);
    expect(secrets.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it('fails loudly when the secret still holds no key set after writing one', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'random' });
    secrets
      .on(PutSecretValueCommand)
      .rejects(new ResourceExistsException({ message: 'exists', $metadata: {} }));

    await expect(store().load()).rejects.toThrow(/could not be initialised/);
  });

  it('reads the secret once per cache period, and once for concurrent callers', async () => {
    // Arrange
    secrets.on(GetSecretValueCommand).resolves({ SecretString: serializeKeySet(ours) });
    let clockNow = now.getTime();
    const keys = store(() => new Date(clockNow), 60);

    // Act
    await Promise.all([keys.load(), keys.load(), keys.load()]);
    clockNow += 59_999;
    await keys.load();
    clockNow += 1;
    await keys.load();

    // Assert
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });
});

describe('createPublishedKeySetReader', () => {
  const reader = () =>
    createPublishedKeySetReader({
      client: new SecretsManagerClient({ region: 'eu-west-1' }),
      secretId,
      cacheSeconds: 60,
      clock: () => now,
    });

  it('never writes: an uninitialised secret reads as no key set, and is read again next time', async () => {
    // Arrange: the generated value first, then the key set the rotation wrote meanwhile.
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'Zk3@random-generated-password' })
      .resolves({ SecretString: serializeKeySet(ours) });
    const keys = reader();

    // Act
    const before = await keys.load();
    const after = await keys.load();

    // Assert
    expect(before).toBeUndefined();
    expect(after).toEqual(ours);
    expect(secrets.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it('keeps a key set it found for the cache period', async () => {
    // Arrange
    secrets.on(GetSecretValueCommand).resolves({ SecretString: serializeKeySet(ours) });
    const keys = reader();

    // Act
    await keys.load();
    await keys.load();

    // Assert
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });
});
