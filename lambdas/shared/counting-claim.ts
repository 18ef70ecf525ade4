import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type DocumentClient, isConditionalCheckFailed } from './dynamo';

/**
 * The owner's "counting in progress" record of the counters protocol (counters.ts), as a lease.
 *
 * An owner item (a lead, an upload) sets a claim in the same conditional write that changes its state, adds
 * its counters once (markers), ends the claim, then releases its markers. Whoever finds a claim resumes the
 * counting, but only once the claim's lease has run out: the lease outlives the invocation that set it
 * (its remaining time plus a margin), so the first worker can no longer be running. Without the lease, a
 * worker that read the claim just before the first worker released its markers would add the counters a
 * second time; with it, one worker at a time counts for an owner, and a crash at any step is resumed by
 * the next delivery (SQS visibility timeout and Lambda retries are both longer than the lease).
 */
export interface CountingClaim {
  readonly token: string;
  /** Epoch milliseconds after which another worker may take the claim over. */
  readonly until: number;
}

/** Attribute names on the owner item. */
export const CLAIM_TOKEN = 'countingToken';
export const CLAIM_UNTIL = 'countingUntil';

/** Time added to the invocation's remaining time: covers a request already on the wire and clock skew. */
export const CLAIM_MARGIN_MS = 30_000;

export const newClaim = (now: number, remainingMs: number): CountingClaim => ({
  token: randomUUID(),
  until: now + remainingMs + CLAIM_MARGIN_MS,
});

/** The claim an item carries, if any. */
export const claimOf = (item: Record<string, unknown> | undefined): CountingClaim | undefined => {
  const token = item?.[CLAIM_TOKEN];
  const until = item?.[CLAIM_UNTIL];
  return typeof token === 'string' && typeof until === 'number' ? { token, until } : undefined;
};

/** A condition (and its name) for writes that must not touch an owner while its counting is claimed. */
export const NO_CLAIM = {
  condition: 'attribute_not_exists(#claimToken)',
  names: { '#claimToken': CLAIM_TOKEN },
} as const;

/**
 * Parts to merge into the owner's state-changing UpdateItem: `SET` the claim, on condition there is none.
 * Names and values use the `#claim`/`:claim` prefixes, so they do not collide with the caller's.
 */
export const claimClauses = (claim: CountingClaim) => ({
  set: '#claimToken = :claimToken, #claimUntil = :claimUntil',
  noClaimCondition: NO_CLAIM.condition,
  names: { ...NO_CLAIM.names, '#claimUntil': CLAIM_UNTIL },
  values: { ':claimToken': claim.token, ':claimUntil': claim.until },
});

/**
 * Takes over a claim whose lease ran out (its worker stopped before finishing the counting). False when
 * someone else took it or ended it first.
 */
export const takeOverClaim = async (
  doc: DocumentClient,
  tableName: string,
  key: Record<string, string>,
  expired: CountingClaim,
  claim: CountingClaim,
  now: number,
): Promise<boolean> =>
  conditional(
    doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: 'SET #claimToken = :claimToken, #claimUntil = :claimUntil',
        ConditionExpression: '#claimToken = :expiredToken AND #claimUntil < :now',
        ExpressionAttributeNames: { '#claimToken': CLAIM_TOKEN, '#claimUntil': CLAIM_UNTIL },
        ExpressionAttributeValues: {
          ':claimToken': claim.token,
          ':claimUntil': claim.until,
          ':expiredToken': expired.token,
          ':now': now,
        },
      }),
    ),
  );

/**
 * Step 3 of the protocol: the counting is done. False when the claim is no longer ours (a worker took it
 * over after our lease ran out): then the markers are its to release, not ours.
 */
export const endClaim = async (
  doc: DocumentClient,
  tableName: string,
  key: Record<string, string>,
  claim: CountingClaim,
): Promise<boolean> =>
  conditional(
    doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: 'REMOVE #claimToken, #claimUntil',
        ConditionExpression: '#claimToken = :claimToken',
        ExpressionAttributeNames: { '#claimToken': CLAIM_TOKEN, '#claimUntil': CLAIM_UNTIL },
        ExpressionAttributeValues: { ':claimToken': claim.token },
      }),
    ),
  );

/** True when the write happened, false when its condition refused it. */
export const conditional = async (write: Promise<unknown>): Promise<boolean> => {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
};
