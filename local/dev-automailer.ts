import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  type ClientKeyPair,
  generateClientKeyPair,
  signClientAssertion,
} from '../lambdas/automailer/domain/client-assertion-signer';
import {
  type AssignmentItem,
  assignmentKey,
  type MemberProfileItem,
  memberKey,
} from '../lambdas/shared/model';
import type { AppConfig } from '../lib/config';

/** Where the front door serves the dev AutoMailer's public keys (its registered JWKS, locally). */
export const DEV_AUTOMAILER_JWKS_PATH = '/.dev/automailer-jwks.json';
/** A local-only convenience for curl: a fresh client assertion of the dev AutoMailer, as plain text. */
export const DEV_AUTOMAILER_ASSERTION_PATH = '/.dev/automailer-assertion';

export interface DevAutomailerClient {
  readonly clientId: string;
  readonly keys: ClientKeyPair;
  /** A fresh single-use client assertion, as AutoMailer's server makes one before each call. */
  assertion(overrides?: { ttlSeconds?: number; jti?: string; now?: Date }): Promise<string>;
}

/**
 * Plays AutoMailer's server locally: an ES256 key pair whose public half the partner authorizer fetches
 * from the front door (the configured JWKS URL is pointed there), and assertions shaped like AutoMailer's.
 */
export const createDevAutomailerClient = async (
  config: AppConfig['automailer'],
): Promise<DevAutomailerClient> => {
  const keys = await generateClientKeyPair('ES256');
  return {
    clientId: config.clientId,
    keys,
    assertion: ({ ttlSeconds, jti, now = new Date() } = {}) =>
      signClientAssertion({
        privateJwk: keys.privateJwk,
        clientId: config.clientId,
        audience: config.issuer,
        now,
        ttlSeconds,
        jti,
      }),
  };
};

/**
 * A member for trying the hand-off and the CSV routes on `npm start`: a profile and three received leads,
 * written only if the profile is absent (the members sync and distribution write real ones).
 */
export const seedDevMember = async (
  doc: DynamoDBDocumentClient,
  membersTable: string,
  memberId: string,
  now: Date = new Date(),
): Promise<void> => {
  const profile: MemberProfileItem = {
    ...memberKey(memberId),
    sk: 'PROFILE',
    memberId,
    email: `${memberId}@members.proleads.example`,
    name: 'Dev Member',
    tier: 'starter',
    subscriptionStatus: 'active',
  };
  try {
    await doc.send(
      new PutCommand({
        TableName: membersTable,
        Item: profile,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return;
    throw error;
  }
  const leads = [
    { firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Engines Ltd' },
    { firstName: 'Grace', lastName: 'Hopper', company: '=HYPERLINK("http://evil.example","click")' },
    { firstName: 'Émile', lastName: 'Zola', company: 'Éditions Charpentier' },
  ];
  for (const [index, lead] of leads.entries()) {
    const assignedAt = new Date(now.getTime() - index * 60_000).toISOString();
    const item: AssignmentItem = {
      ...assignmentKey(memberId, assignedAt, 'dev-upload', index + 1),
      memberId,
      assignedAt,
      uploadId: 'dev-upload',
      row: index + 1,
      email: `${lead.firstName.toLowerCase()}@leads.example`,
      ...lead,
    };
    await doc.send(new PutCommand({ TableName: membersTable, Item: item }));
  }
};
