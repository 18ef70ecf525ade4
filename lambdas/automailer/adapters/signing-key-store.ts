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
 * One read at a time per container, kept for `cacheSeconds`; a read that finds nothing is not kept, so the
 * first key set shows as soon as it exists.
 */
const cachedLoader = <T>(
  fetch: () => Promise<T | undefined>,
  cacheSeconds: number,
  clock: () => Date,
): (() => Promise<T | undefined>) => {
  let cached: { value: T; until: number } | undefined;
  let pending: Promise<T | undefined> | undefined;
  return () => {
    if (cached && clock().getTime() < cached.until) return Promise.resolve(cached.value);
    pending ??= fetch()
      .then((value) => {
        if (value !== undefined) cached = { value, until: clock().getTime() + cacheSeconds * 1000 };
        return value;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
};

/**
 * Reads the AutoMailer signing key set from Secrets Manager, for the token signer.
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

  const load = cachedLoader(fetchKeySet, cacheSeconds, clock);
  return {
    async load() {
      const keySet = await load();
      if (!keySet) throw new Error('The AutoMailer signing key set could not be read');
      return keySet;
    },
  };
};

export interface PublishedKeySetReader {
  /** The key set, from a short cache; undefined while no key set exists yet (none was ever signed with). */
  load(): Promise<KeySet | undefined>;
}

/**
 * The key set for publishing only: reads, never writes. Before the first key set exists (the rotation at
 * deploy, or the signer's first token, writes it) no token can exist either, so there is nothing to publish.
 */
export const createPublishedKeySetReader = ({
  client,
  secretId,
  cacheSeconds,
  clock = () => new Date(),
}: Omit<SigningKeyStoreOptions, 'generate'>): PublishedKeySetReader => {
  const fetchKeySet = async (): Promise<KeySet | undefined> => {
    const secretString = await readSecretString(client, secretId);
    return holdsNoKeySet(secretString) ? undefined : parseKeySet(secretString ?? '');
  };
  return { load: cachedLoader(fetchKeySet, cacheSeconds, clock) };
};
