import {
  PutSecretValueCommand,
  ResourceExistsException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { readSecretString } from '../../shared/secrets';
import {
  generateSigningKey,
  type KeySet,
  parseKeySet,
  type SigningKey,
  serializeKeySet,
} from '../domain/signing-keys';

/**
 * The version id of the first key set. Every cold start that finds the secret uninitialised writes its own
 * key set under this same id: Secrets Manager keeps the first and refuses any other value for it
 * (ResourceExistsException), so the losers re-read and all sign with the winner's key.
 */
export const INITIAL_KEY_SET_VERSION = 'proleads-automailer-signing-keys-initial-v1';

export interface SigningKeyStore {
  /** The key set, from a short cache; created on first use when the secret holds none yet. */
  load(): Promise<KeySet>;
}

export interface SigningKeyStoreOptions {
  client: Pick<SecretsManagerClient, 'send'>;
  secretId: string;
  /** How long a container trusts its copy; rotation reaches every container within this. */
  cacheSeconds: number;
  clock?: () => Date;
  generate?: (now: Date) => Promise<SigningKey>;
}

/**
 * CloudFormation can only fill the secret with a random string, not a key pair: such a value (not a JSON
 * object with `current`) means "not initialised yet". A JSON key set that fails validation is an operator's
 * mistake and fails loudly in `parseKeySet` instead of being overwritten.
 */
export const holdsNoKeySet = (secretString: string | undefined): boolean => {
  if (!secretString) return true;
  try {
    const value = JSON.parse(secretString) as unknown;
    return !(value && typeof value === 'object' && 'current' in value);
  } catch {
    return true;
  }
};

/**
 * Reads the AutoMailer signing key set from Secrets Manager.
 * Steps: serve the cached set while fresh -> GetSecretValue -> if uninitialised, put a fresh set under
 * INITIAL_KEY_SET_VERSION (a lost race is fine) and read again -> parse -> cache. Concurrent calls in one
 * container share one read.
 */
export const createSigningKeyStore = ({
  client,
  secretId,
  cacheSeconds,
  clock = () => new Date(),
  generate = generateSigningKey,
}: SigningKeyStoreOptions): SigningKeyStore => {
  let cached: { keySet: KeySet; until: number } | undefined;
  let pending: Promise<KeySet> | undefined;

  const read = () => readSecretString(client, secretId);

  const fetchKeySet = async (): Promise<KeySet> => {
    let secretString = await read();
    if (holdsNoKeySet(secretString)) {
      const initial: KeySet = { current: await generate(clock()) };
      try {
        await client.send(
          new PutSecretValueCommand({
            SecretId: secretId,
            ClientRequestToken: INITIAL_KEY_SET_VERSION,
            SecretString: serializeKeySet(initial),
          }),
        );
      } catch (error) {
        if (!(error instanceof ResourceExistsException)) throw error;
      }
      secretString = await read();
      if (holdsNoKeySet(secretString)) {
        throw new Error('The AutoMailer signing key secret holds no key set and could not be initialised');
      }
    }
    return parseKeySet(secretString ?? '');
  };

  return {
    async load() {
      if (cached && clock().getTime() < cached.until) return cached.keySet;
      pending ??= fetchKeySet()
        .then((keySet) => {
          cached = { keySet, until: clock().getTime() + cacheSeconds * 1000 };
          return keySet;
        })
        .finally(() => {
          pending = undefined;
        });
      return pending;
    },
  };
};
