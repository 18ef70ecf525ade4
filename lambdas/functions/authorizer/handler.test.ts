import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { loadEvent } from '../../../test/support/events';
import type { PlatformTokenVerifier } from '../../shared/auth/platform-token';
import { createHandler } from './handler';

const env = {
  REQUIRED_ROLE: 'admin',
  JWT_ISSUER: 'https://login.proleads.example',
  JWT_AUDIENCE: 'proleads-pipeline',
  JWT_JWKS_URL: 'https://login.proleads.example/.well-known/jwks.json',
  JWT_ALGORITHMS: 'RS256',
  JWT_TYP: 'at+jwt',
  JWT_ROLE_CLAIM: 'role',
  JWT_CLOCK_TOLERANCE_SECONDS: '30',
  JWT_MAX_TOKEN_AGE_SECONDS: '86400',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

/** A verifier that knows one token, and counts its calls. */
const verifierFor = (good: string) => {
  const calls: string[] = [];
  const verify: PlatformTokenVerifier = async (token) => {
    calls.push(token);
    if (token !== good) throw new Error('unexpected token');
    return { sub: 'admin-1', role: 'admin' };
  };
  return { verify, calls };
};

const eventWith = (headers: Record<string, string>, multi: Record<string, string[]> | null = null) => ({
  ...loadEvent<APIGatewayRequestAuthorizerEvent>('authorizer/request.json'),
  headers,
  multiValueHeaders: multi,
});

describe('the platform-token authorizer', () => {
  it('takes the Bearer scheme in any case', async () => {
    const { verify } = verifierFor('good.token.sig');
    const handler = createHandler(env, verify);
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const result = await handler(eventWith({ Authorization: `${scheme} good.token.sig` }));
      expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
    }
  });

  it('refuses two Authorization headers as Unauthorized without verifying either', async () => {
    const { verify, calls } = verifierFor('good.token.sig');
    const handler = createHandler(env, verify);
    const event = eventWith(
      { Authorization: 'Bearer good.token.sig' },
      { Authorization: ['Bearer good.token.sig', 'Bearer other.token.sig'] },
    );
    await expect(handler(event)).rejects.toThrow('Unauthorized');
    expect(calls).toEqual([]);
  });
});
