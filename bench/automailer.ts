/**
 * AutoMailer figures: the pure work per call (500-row CSV, identity-token signing, client-assertion
 * verification) and the round trips through the local front door on the emulators (hand-off + redeem,
 * 500-row CSV download). Run: `npm run bench -- automailer [rounds]`. Local latencies measure our code
 * and the emulators, not AWS; they show regressions, not production numbers.
 */
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { verifyClientAssertion } from '../lambdas/automailer/domain/client-assertion';
import {
  generateClientKeyPair,
  signClientAssertion,
} from '../lambdas/automailer/domain/client-assertion-signer';
import { DEFAULT_LEAD_COLUMNS, leadsToCsv } from '../lambdas/automailer/domain/leads-csv';
import { generateSigningKey, signIdentityToken } from '../lambdas/automailer/domain/signing-keys';
import { createDocumentClient } from '../lambdas/shared/dynamo';
import { assignmentKey, memberKey } from '../lambdas/shared/model';
import { startLocalStack } from '../local/runtime';

const timeMs = async (work: () => unknown): Promise<number> => {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
};

const median = (values: number[]) =>
  Math.round(([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN) * 100) / 100;

const repeat = async (rounds: number, work: () => unknown) => {
  const times: number[] = [];
  for (let round = 0; round < rounds; round += 1) times.push(await timeMs(work));
  return median(times);
};

const sampleLead = (row: number) => ({
  email: `lead-${row}@leads.example`,
  firstName: 'Ada',
  lastName: 'Lovelace',
  company: row % 10 === 0 ? '=HYPERLINK("http://evil.example")' : `Company ${row}`,
  phone: '+44 20 7946 0000',
  title: 'Head of Growth',
  website: 'https://example.com',
  city: 'London',
  country: 'GB',
  receivedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, row)).toISOString(),
});

export const runAutomailerBench = async (rounds = 50) => {
  // Pure work.
  const leads = Array.from({ length: 500 }, (_, row) => sampleLead(row + 1));
  const csvBuildMs = await repeat(rounds, () => leadsToCsv(leads, { columns: DEFAULT_LEAD_COLUMNS }));
  const keySet = { current: await generateSigningKey() };
  const claims = {
    sub: 'm-1',
    email: 'm-1@members.example',
    name: 'Ada',
    tier: 'pro',
    subscriptionStatus: 'active',
  };
  const signMs = await repeat(rounds, () =>
    signIdentityToken(keySet, claims, { issuer: 'bench', audience: 'automailer', now: new Date() }),
  );
  const client = await generateClientKeyPair('ES256');
  const verifyMs = await repeat(rounds, async () => {
    const now = new Date();
    const jwt = await signClientAssertion({
      privateJwk: client.privateJwk,
      clientId: 'automailer',
      audience: 'bench',
      now,
    });
    await verifyClientAssertion(jwt, {
      clientId: 'automailer',
      audience: 'bench',
      keyOrJwks: client.publicJwk,
      now,
      replayCheck: async () => true,
    });
  });

  // Round trips through the local front door.
  const stack = await startLocalStack({ env: { POWERTOOLS_LOG_LEVEL: 'ERROR' } });
  try {
    const doc = createDocumentClient(stack.resources.baseEnv);
    const membersTable =
      [...stack.resources.byLogicalId.keys()].find((id) => id.startsWith('StorageMembersTable')) ?? '';
    const memberId = `bench-${randomUUID()}`;
    await doc.send(
      new PutCommand({
        TableName: membersTable,
        Item: {
          ...memberKey(memberId),
          memberId,
          email: `${memberId}@members.example`,
          name: 'Bench',
          tier: 'pro',
          subscriptionStatus: 'active',
        },
      }),
    );
    for (let start = 0; start < 500; start += 25) {
      await doc.send(
        new BatchWriteCommand({
          RequestItems: {
            [membersTable]: leads.slice(start, start + 25).map((lead, index) => ({
              PutRequest: {
                Item: {
                  ...assignmentKey(memberId, lead.receivedAt, 'bench', start + index),
                  memberId,
                  assignedAt: lead.receivedAt,
                  uploadId: 'bench',
                  row: start + index,
                  ...lead,
                },
              },
            })),
          },
        }),
      );
    }
    const memberToken = await stack.identity.mint({ sub: memberId, role: 'member' });
    const partnerHeaders = async () => ({
      'x-api-key': stack.apiKey,
      Authorization: `Bearer ${await stack.automailer.assertion()}`,
      'Content-Type': 'application/json',
    });
    const handoffRoundTripMs = await repeat(rounds, async () => {
      const started = await fetch(`${stack.url}/sso/automailer`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${memberToken}` },
      });
      const { code } = (await started.json()) as { code: string };
      const redeemed = await fetch(`${stack.url}/automailer/sso/token`, {
        method: 'POST',
        headers: await partnerHeaders(),
        body: JSON.stringify({ code }),
      });
      if (redeemed.status !== 200) throw new Error(`redeem answered ${redeemed.status}`);
      await redeemed.arrayBuffer();
    });
    let csvBytes = 0;
    const csvDownloadMs = await repeat(rounds, async () => {
      const response = await fetch(`${stack.url}/automailer/members/${memberId}/leads.csv`, {
        headers: await partnerHeaders(),
      });
      csvBytes = (await response.arrayBuffer()).byteLength;
    });

    console.log(`500-row CSV built in memory      ${csvBuildMs} ms (median of ${rounds})`);
    console.log(`identity token signed (ES256)    ${signMs} ms`);
    console.log(`client assertion signed+verified ${verifyMs} ms`);
    console.log(`hand-off + redeem, local HTTP    ${handoffRoundTripMs} ms`);
    console.log(`500-row CSV download, local HTTP ${csvDownloadMs} ms (${csvBytes} bytes)`);
    const result = { rounds, csvBuildMs, signMs, verifyMs, handoffRoundTripMs, csvDownloadMs, csvBytes };
    console.log(JSON.stringify(result));
    return result;
  } finally {
    await stack.stop();
  }
};

/** `npm run bench -- automailer [rounds]` */
export const main = async ([rounds]: string[]) => runAutomailerBench(Number(rounds) || undefined);
