import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
// The committed document (`npm run openapi`; a test keeps it equal to the generator's output): bundled as
// data, so this function carries neither the generator nor every route's schemas.
import openApiDocument from '../../../docs/openapi.json' with { type: 'json' };
import { createSigningKeyStore, type SigningKeyStore } from '../../automailer/adapters/signing-key-store';
import { publicJwks } from '../../automailer/domain/signing-keys';
import { JWKS_MAX_AGE_SECONDS, SigningKeysEnv } from '../../automailer/settings';
import { type Env, readEnv } from '../../shared/env';
import { createRouter, json, type RouteHandler } from '../../shared/http';
import { createLogger } from '../../shared/logger';
import { createSecretsClient } from '../../shared/secrets';

/** The document changes only with a deployment. */
const OPENAPI_MAX_AGE_SECONDS = 300;

/** Public routes: the identity tokens' verification keys (public halves only) and the API document. */
export const createHandler = (env: Env, keys?: SigningKeyStore) => {
  const config = readEnv(SigningKeysEnv, env);
  const logger = createLogger(env);
  const signingKeys =
    keys ??
    createSigningKeyStore({
      client: createSecretsClient(env),
      secretId: config.SIGNING_KEYS_SECRET_ARN,
      cacheSeconds: config.SIGNING_KEY_CACHE_SECONDS,
    });

  const jwks: RouteHandler = async () =>
    json(200, publicJwks(await signingKeys.load()), {
      headers: {
        'Content-Type': 'application/jwk-set+json',
        'Cache-Control': `public, max-age=${JWKS_MAX_AGE_SECONDS}`,
      },
    });

  const openApi: RouteHandler = async () =>
    json(200, openApiDocument, {
      headers: { 'Cache-Control': `public, max-age=${OPENAPI_MAX_AGE_SECONDS}` },
    });

  return createRouter(
    { 'GET /.well-known/jwks.json': jwks, 'GET /openapi.json': openApi },
    { logger },
  ) satisfies (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
};
