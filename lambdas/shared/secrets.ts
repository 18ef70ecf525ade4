import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsClientConfig } from './aws';
import type { Env } from './env';

export type SecretsClient = Pick<SecretsManagerClient, 'send'>;

/** Which version of a secret to read: the current one unless a stage or version id says otherwise. */
export interface SecretVersion {
  readonly VersionStage?: string;
  readonly VersionId?: string;
}

/** A Secrets Manager client for a function's environment (the local runtime points it at its stand-in). */
export const createSecretsClient = (env: Env): SecretsManagerClient =>
  new SecretsManagerClient(awsClientConfig(env, 'SECRETS_MANAGER'));

/** The app's one way to read a secret: its string value, or undefined when the version holds none yet. */
export const readSecretString = async (
  client: SecretsClient,
  secretId: string,
  version: SecretVersion = {},
): Promise<string | undefined> =>
  (await client.send(new GetSecretValueCommand({ SecretId: secretId, ...version }))).SecretString;

/**
 * A value derived from a secret, read once per container on first use. A failed read is not kept, so the
 * next call (the next invocation) tries again instead of failing for the container's whole life.
 */
export const onceFromSecret = <T>(
  client: SecretsClient,
  secretId: string,
  derive: (value: string | undefined) => T | Promise<T>,
): (() => Promise<T>) => {
  let value: Promise<T> | undefined;
  return () => {
    value ??= readSecretString(client, secretId)
      .then(derive)
      .catch((error: unknown) => {
        value = undefined;
        throw error;
      });
    return value;
  };
};
