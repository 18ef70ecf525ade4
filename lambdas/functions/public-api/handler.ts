import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
// The committed document (`npm run openapi`; a test keeps it equal to the generator's output): bundled as
// data, so this function carries neither the generator nor every route's schemas.
import openApiDocument from '../../../docs/openapi.json' with { type: 'json' };
import {
  createPublishedKeySetReader,
  type PublishedKeySetReader,
} from '../../automailer/adapters/signing-key-store';
import { publicJwks } from '../../automailer/domain/signing-keys';
import { JWKS_MAX_AGE_SECONDS, SigningKeysEnv } from '../../automailer/settings';
import { type Env, readEnv } from '../../shared/env';
import { createRouter, json, type RouteHandler } from '../../shared/http';
import { createLogger } from '../../shared/logger';
import { createSecretsClient } from '../../shared/secrets';

/** The document changes only with a deployment. */
const OPENAPI_MAX_AGE_SECONDS = 300;

/** Public routes: the identity tokens' verification keys (public halves only) and the API document. */
export const createHandler = (env: Env, keys?: PublishedKeySetReader) => {
  const config = readEnv(SigningKeysEnv, env);
  const logger = createLogger(env);
  const signingKeys =
    keys ??
    createPublishedKeySetReader({
      client: createSecretsClient(env),
      secretId: config.SIGNING_KEYS_SECRET_ARN,
      cacheSeconds: config.SIGNING_KEY_CACHE_SECONDS,
    });

  // Read-only: an empty set until the first key set exists, and that answer is never cached downstream.
  const jwks: RouteHandler = async () => {
    const keySet = await signingKeys.load();
    return json(200, keySet ? publicJwks(keySet) : { keys: [] }, {
      headers: {
        'Content-Type': 'application/jwk-set+json',
        'Cache-Control': keySet ? `public, max-age=${JWKS_MAX_AGE_SECONDS}` : 'no-store',
      },
    });
  };

  const openApi: RouteHandler = async () =>
    json(200, openApiDocument, {
      headers: { 'Cache-Control': `public, max-age=${OPENAPI_MAX_AGE_SECONDS}` },
    });

  return createRouter(
    { 'GET /.well-known/jwks.json': jwks, 'GET /openapi.json': openApi },
    { logger },
  ) satisfies (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
};
