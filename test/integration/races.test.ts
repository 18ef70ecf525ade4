import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { documentClient, localName } from '../../fixtures/clients';
import { saveHandoffCode } from '../../lambdas/automailer/adapters/handoff-store';
import { dynamoReplayCheck } from '../../lambdas/automailer/adapters/replay-store';
import { InvalidHandoffCodeError, issueHandoffCode } from '../../lambdas/automailer/domain/handoff-code';
import { generateSigningKey } from '../../lambdas/automailer/domain/signing-keys';
import { redeemHandoff } from '../../lambdas/automailer/handoff';
import { DynamoNotificationLog } from '../../lambdas/distribution/adapters/notification-log';
import { DynamoSupplyStore } from '../../lambdas/distribution/adapters/supply-store';
import { DEFAULT_SETTINGS, type RosterEntry } from '../../lambdas/distribution/domain/run';
import { notifyServedMembers } from '../../lambdas/distribution/run/notify';
import { UploadRecord } from '../../lambdas/ingest/adapters/upload-record';
import { claimOf, newClaim, takeOverClaim } from '../../lambdas/shared/counting-claim';
import { createLogger } from '../../lambdas/shared/logger';
import { leadKey, memberKey, uploadKey } from '../../lambdas/shared/model';
import { useLocalStack } from '../support/local-stack';
import { onPartition, raceAtWrite } from '../support/races';

/**
 * Single-use things under a real race on dynalite: two contenders both pass their read (if any) before
 * either writes, so the only thing that can keep each promise is the conditional write itself.
 */
describe('races at the storage step', () => {
  const stack = useLocalStack();
  const doc = () => documentClient(stack.current);
  const table = (name: 'Uploads' | 'Members' | 'Control') => localName(stack.current, `Storage${name}Table`);
  const settledOutcomes = async <T>(contenders: Promise<T>[]) => {
    const settled = await Promise.allSettled(contenders);
    return {
      won: settled.filter((outcome) => outcome.status === 'fulfilled').map((outcome) => outcome.value),
      lost: settled.filter((outcome) => outcome.status === 'rejected').map((outcome) => outcome.reason),
    };
  };

  it('a hand-off code redeemed by two requests at once gives exactly one identity token', async () => {
    // Arrange: a member and a fresh code, as the hand-off route stores them.
    const memberId = `m-${randomUUID()}`;
    await doc().send(
      new PutCommand({
        TableName: table('Members'),
        Item: {
          ...memberKey(memberId),
          memberId,
          email: `${memberId}@members.example`,
          name: 'Ada',
          tier: 'pro',
          subscriptionStatus: 'active',
        },
      }),
    );
    const clientId = 'automailer';
    const { code, record } = issueHandoffCode({
      memberId,
      clientId,
      redirectUri: 'https://automailer.example/callback',
      now: new Date(),
    });
    await saveHandoffCode(doc(), table('Control'), record);
    const race = raceAtWrite(doc(), {
      read: onPartition('HANDOFF#', 'GetCommand'),
      write: onPartition('HANDOFF#', 'UpdateCommand'),
    });
    const key = await generateSigningKey();
    const redeem = () =>
      redeemHandoff(
        { doc: race.client as never, membersTable: table('Members'), controlTable: table('Control') },
        { load: async () => ({ current: key }) },
        { issuer: 'https://proleads.example', activationDelaySeconds: 0 },
        { code, clientId, now: new Date() },
        createLogger({ POWERTOOLS_LOG_LEVEL: 'ERROR' }),
      );

    // Act
    const { won, lost } = await settledOutcomes([redeem(), redeem()]);

    // Assert
    expect(race.met()).toBe(true);
    expect(won).toHaveLength(1);
    expect(lost[0]).toBeInstanceOf(InvalidHandoffCodeError);
    expect((lost[0] as InvalidHandoffCodeError).reason).toBe('already_used');
  });

  it("a client assertion's jti presented twice at once passes exactly once", async () => {
    const race = raceAtWrite(doc(), { write: onPartition('JTI#', 'PutCommand') });
    const check = dynamoReplayCheck(race.client as never, table('Control'));
    const use = { clientId: 'automailer', jti: randomUUID(), expiresAt: new Date(Date.now() + 60_000) };

    const passed = await Promise.all([check(use), check(use)]);

    expect(race.met()).toBe(true);
    expect(passed.sort()).toEqual([false, true]);
  });

  it("an upload's lapsed ingest lease taken by two deliveries at once goes to exactly one", async () => {
    const uploadId = `u-${randomUUID()}`;
    await doc().send(
      new PutCommand({
        TableName: table('Uploads'),
        // An ingest that crashed holding the lease, now lapsed: its state no longer tells contenders apart.
        Item: {
          ...uploadKey(uploadId),
          uploadId,
          state: 'ingesting',
          createdAt: new Date().toISOString(),
          ingestLeaseToken: randomUUID(),
          ingestLeaseUntil: Date.now() - 60_000,
        },
      }),
    );
    const race = raceAtWrite(doc(), {
      read: onPartition(uploadKey(uploadId).pk, 'GetCommand'),
      write: onPartition(uploadKey(uploadId).pk, 'UpdateCommand'),
    });
    const record = new UploadRecord(race.client as never, table('Uploads'));

    const results = await Promise.all([record.acquire(uploadId, 60_000), record.acquire(uploadId, 60_000)]);

    expect(race.met()).toBe(true);
    expect(results.map((result) => result.kind).sort()).toEqual(['acquired', 'busy']);
  });

  it('a lapsed counting claim taken over by two workers at once goes to exactly one', async () => {
    const key = uploadKey(`u-${randomUUID()}`);
    const lapsed = newClaim(Date.now() - 120_000, 0);
    await doc().send(
      new PutCommand({
        TableName: table('Uploads'),
        Item: { ...key, countingToken: lapsed.token, countingUntil: lapsed.until },
      }),
    );
    const race = raceAtWrite(doc(), {
      read: onPartition(key.pk, 'GetCommand'),
      write: onPartition(key.pk, 'UpdateCommand'),
    });
    /** A worker finds the lapsed claim, then tries to take it over. */
    const worker = async () => {
      const { Item } = await race.client.send(
        new GetCommand({ TableName: table('Uploads'), Key: key, ConsistentRead: true }),
      );
      const found = claimOf(Item);
      if (!found) return false;
      const now = Date.now();
      return takeOverClaim(race.client, table('Uploads'), key, found, newClaim(now, 60_000), now);
    };

    const taken = await Promise.all([worker(), worker()]);

    expect(race.met()).toBe(true);
    expect(taken.sort()).toEqual([false, true]);
  });

  it('three runs claiming the same leads at once, run lock out of the way, never pass maxAssignmentsPerLead', async () => {
    // Arrange: ten deliverable leads; three runs, each for its own member, all holding the same fence.
    const uploadId = `u-${randomUUID()}`;
    const rows = Array.from({ length: 10 }, (_, index) => index + 2);
    for (const row of rows)
      await doc().send(
        new PutCommand({
          TableName: table('Uploads'),
          Item: { ...leadKey(uploadId, row), uploadId, row, status: 'deliverable' },
        }),
      );
    const claims = ['run-1', 'run-2', 'run-3'].flatMap((runId) =>
      rows.map((row) => ({ runId, entry: { uploadId, row, memberId: `member-of-${runId}` } })),
    );
    const race = raceAtWrite(doc(), {
      contenders: claims.length,
      write: (command) => command.constructor.name === 'UpdateCommand',
    });
    const supply = new DynamoSupplyStore(race.client as never, {
      uploads: table('Uploads'),
      control: table('Control'),
    });

    // Act: every claim is on the wire before any is written.
    const won = await Promise.all(claims.map(({ runId, entry }) => supply.claimLead(entry, runId, 2, 1)));

    // Assert
    expect(race.met()).toBe(true);
    expect(won.filter(Boolean)).toHaveLength(20);
    for (const row of rows) {
      const { Item } = await doc().send(
        new GetCommand({ TableName: table('Uploads'), Key: leadKey(uploadId, row), ConsistentRead: true }),
      );
      expect(Item?.assignedCount).toBe(2);
      expect((Item?.assignedTo as Set<string> | undefined)?.size).toBe(2);
    }
  });

  /** Deliverable leads of a new upload, straight into the uploads table. */
  const seedLeads = async (count: number) => {
    const uploadId = `u-${randomUUID()}`;
    const rows = Array.from({ length: count }, (_, index) => index + 2);
    for (const row of rows)
      await doc().send(
        new PutCommand({
          TableName: table('Uploads'),
          Item: { ...leadKey(uploadId, row), uploadId, row, status: 'deliverable' },
        }),
      );
    return { uploadId, rows };
  };

  it('one member claimed for the same lead by two runs at once gets it once', async () => {
    const { uploadId, rows } = await seedLeads(1);
    const race = raceAtWrite(doc(), { write: (command) => command.constructor.name === 'UpdateCommand' });
    const supply = new DynamoSupplyStore(race.client as never, {
      uploads: table('Uploads'),
      control: table('Control'),
    });
    const entry = { uploadId, row: rows[0] as number, memberId: 'member-1' };

    const won = await Promise.all([
      supply.claimLead(entry, 'run-1', 2, 1),
      supply.claimLead(entry, 'run-2', 2, 1),
    ]);

    expect(race.met()).toBe(true);
    expect(won.sort()).toEqual([false, true]);
  });

  it('a lead claim carrying an older lock generation than the lead has seen is refused', async () => {
    const { uploadId, rows } = await seedLeads(1);
    const supply = new DynamoSupplyStore(doc(), { uploads: table('Uploads'), control: table('Control') });
    const row = rows[0] as number;

    const newer = await supply.claimLead({ uploadId, row, memberId: 'member-1' }, 'run-new', 2, 5);
    const stale = await supply.claimLead({ uploadId, row, memberId: 'member-2' }, 'run-old', 2, 4);

    expect([newer, stale]).toEqual([true, false]);
  });

  it('two attempts notifying one run at once mail each member once', async () => {
    // Arrange: both attempts read the run's (empty) claims before either claims a chunk.
    const runId = `run-${randomUUID()}`;
    const race = raceAtWrite(doc(), {
      read: onPartition(`NOTIFY#${runId}`, 'QueryCommand'),
      write: onPartition(`NOTIFY#${runId}`, 'PutCommand'),
    });
    const mailed: string[] = [];
    const deps = {
      notifications: new DynamoNotificationLog(race.client as never, table('Control')),
      notifier: {
        notify: async ({ memberId }: { memberId: string }) => {
          mailed.push(memberId);
          return 'sent' as const;
        },
      },
    };
    const roster = new Map(
      ['a', 'b', 'c'].map((memberId) => [
        memberId,
        {
          member: { memberId, email: `${memberId}@members.example`, name: memberId } as never,
          received: 10,
          base: 0,
          lastServedBefore: null,
          accrual: { accruedFrom: '', accruedThrough: '', carriedIn: 0 },
          entitlement: { quota: 10, accrued: 10, carriedIn: 0, owed: 10 },
          runsBefore: {},
          inLedger: false,
        } satisfies RosterEntry,
      ]),
    );
    const run = { runId, expiresAt: Math.floor(Date.now() / 1000) + 3600 } as never;
    const notify = () =>
      notifyServedMembers(
        deps,
        { ...DEFAULT_SETTINGS, tiers: [], maxAssignmentsPerLead: 1, defaultTimeZone: 'UTC' },
        run,
        roster,
        { renewIfDue: async () => undefined },
        () => 900_000,
      );

    // Act
    await Promise.all([notify(), notify()]);

    // Assert
    expect(race.met()).toBe(true);
    expect(mailed.sort()).toEqual(['a', 'b', 'c']);
  });
});
