import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { errors as joseErrors } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEvent } from '../../../test/support/events';
import type { ReplayCheck } from '../../automailer/domain/client-assertion';
import {
  type ClientKeyPair,
  generateClientKeyPair,
  signClientAssertion,
} from '../../automailer/domain/client-assertion-signer';
import { createHandler } from './handler';

const env = {
  AUTOMAILER_CLIENT_ID: 'automailer',
  AUTOMAILER_ISSUER: 'https://api.proleads.example/automailer',
  AUTOMAILER_CLIENT_JWKS_URL: 'https://automailer.example/.well-known/jwks.json',
  TABLE_CONTROL: 'control-table',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};
const now = new Date('2025-03-10T12:00:00.000Z');
const sampleEvent = () => loadEvent<APIGatewayRequestAuthorizerEvent>('authorizer/partner-request.json');

let automailer: ClientKeyPair;
beforeAll(async () => {
  automailer = await generateClientKeyPair('ES256');
});

const seenOnce = (): ReplayCheck => {
  const seen = new Set<string>();
  return async ({ jti }) => {
    if (seen.has(jti)) return false;
    seen.add(jti);
    return true;
  };
};

const withAssertion = async (overrides: Partial<Parameters<typeof signClientAssertion>[0]> = {}) => {
  const event = sampleEvent();
  const assertion = await signClientAssertion({
    privateJwk: automailer.privateJwk,
    clientId: env.AUTOMAILER_CLIENT_ID,
    audience: env.AUTOMAILER_ISSUER,
    now,
    ...overrides,
  });
  event.headers = { ...event.headers, Authorization: `Bearer ${assertion}` };
  return event;
};

const authorizer = (replayCheck = seenOnce()) =>
  createHandler(env, { keys: { keys: [automailer.publicJwk] }, replayCheck, clock: () => now });

describe('partner authorizer', () => {
  it('allows exactly the called method for AutoMailer, with its client id and the partner role', async () => {
    const event = await withAssertion();

    const result = await authorizer()(event);

    expect(result).toEqual({
      principalId: 'automailer',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
      },
      context: { sub: 'automailer', role: 'partner' },
    });
  });

  it('answers Unauthorized (401) without an assertion, to a replay, and to another audience', async () => {
    const handler = authorizer();
    const noAssertion = sampleEvent();
    noAssertion.headers = { ...noAssertion.headers, Authorization: undefined };
    const once = await withAssertion();
    await handler(once);

    for (const event of [noAssertion, once, await withAssertion({ audience: 'https://elsewhere.example' })]) {
      await expect(handler(event)).rejects.toThrow(/^Unauthorized$/);
    }
  });

  it('lets an outage of the JWKS endpoint surface as an error, not as a refusal of AutoMailer', async () => {
    const unreachable = async () => {
      throw new joseErrors.JWKSTimeout();
    };
    const handler = createHandler(env, { keys: unreachable, replayCheck: seenOnce(), clock: () => now });

    await expect(handler(await withAssertion())).rejects.toBeInstanceOf(joseErrors.JWKSTimeout);
  });

  it('refuses to start without a way to know the key of AutoMailer', () => {
    const { AUTOMAILER_CLIENT_JWKS_URL: _url, ...withoutKeys } = env;

    expect(() => createHandler(withoutKeys)).toThrow(/AUTOMAILER_CLIENT_JWKS_URL/);
  });
});
