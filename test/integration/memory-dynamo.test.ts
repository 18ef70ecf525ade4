import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { documentClient } from '../../fixtures/clients';
import { MemoryDynamo, pipelineTables } from '../../fixtures/memory-dynamo';
import type { RunSummary } from '../../lambdas/distribution/domain/run';
import { createHandler } from '../../lambdas/functions/distribution/handler';
import { DEFAULT_TIERS } from '../../lambdas/members/domain/tiers';
import { MemberStore } from '../../lambdas/members/member-store';
import type { DocumentClient } from '../../lambdas/shared/dynamo';
import type { LeadStatus } from '../../lambdas/shared/model';
import { interceptDoc, mailsTo, seedQueuedUpload, tablesOf } from '../support/distribution';
import { QUIET_ENV, useLocalStack } from '../support/local-stack';

/**
 * The benchmark's in-memory DynamoDB must behave like the real thing for the requests the distribution
 * sends, or its request counts mean nothing: the same scenario runs on dynalite and on the stand-in, and
 * the outcomes and the requests made, operation by operation, must agree.
 */
describe('the in-memory DynamoDB of the benchmark', () => {
  const stack = useLocalStack({
    env: QUIET_ENV,
  });

  const scenario = async (
    doc: DocumentClient,
    tables: { uploads: string; members: string; control: string },
  ) => {
    const store = new MemberStore({
      doc,
      membersTable: tables.members,
      controlTable: tables.control,
      tiers: DEFAULT_TIERS,
      now: () => new Date(),
    });
    for (const [id, tier] of [
      ['a', 'starter'],
      ['b', 'growth'],
      ['c', 'starter'],
      ['d', 'pro'],
    ] as const)
      await store.upsert(id, { email: `${id}@parity.example`, name: id, tier, subscriptionStatus: 'active' });
    const statuses = (count: number): LeadStatus[] =>
      Array.from({ length: count }, (_, index) => (index % 7 === 3 ? 'rejected' : 'deliverable'));
    await seedQueuedUpload(doc as never, tables, {
      uploadId: 'P1',
      createdAt: '2026-01-01T00:00:00Z',
      statuses: statuses(20),
    });
    await seedQueuedUpload(doc as never, tables, {
      uploadId: 'P2',
      createdAt: '2026-01-02T00:00:00Z',
      statuses: statuses(30),
    });
  };

  const run = async (doc: DocumentClient, tables: { uploads: string; members: string; control: string }) => {
    const counts = new Map<string, number>();
    const counting = {
      send: ((command: { constructor: { name: string } }) => {
        counts.set(command.constructor.name, (counts.get(command.constructor.name) ?? 0) + 1);
        return doc.send(command as never);
      }) as DocumentClient['send'],
    };
    const handler = createHandler(
      {
        ...stack.current.resources.baseEnv,
        TABLE_UPLOADS: tables.uploads,
        TABLE_MEMBERS: tables.members,
        TABLE_CONTROL: tables.control,
        TIERS: JSON.stringify(DEFAULT_TIERS),
        MAX_ASSIGNMENTS_PER_LEAD: '1',
        DEFAULT_TIME_ZONE: 'UTC',
        SES_SENDER: 'leads@proleads.example',
        SES_MAX_SEND_RATE: '50',
        SES_CONFIGURATION_SET: 'proleads-test',
        LEADS_URL: 'https://app.proleads.example/leads',
        WINDOW_SIZE: '7',
        NOTIFY_CHUNK_SIZE: '3',
        POWERTOOLS_LOG_LEVEL: 'ERROR',
        POWERTOOLS_METRICS_DISABLED: 'true',
      },
      { doc: counting },
    );
    const summary = (await handler(
      { trigger: 'manual', runId: ulid(), requestedAt: new Date().toISOString(), requestedBy: 'parity' },
      { getRemainingTimeInMillis: () => 900_000 },
    )) as RunSummary;
    return { summary, counts: Object.fromEntries([...counts].sort()) };
  };

  it('gives the same outcome with the same requests as dynalite', async () => {
    const real = documentClient(stack.current);
    const realTables = tablesOf(stack.current);
    await scenario(real, realTables);
    const onDynalite = await run(
      interceptDoc(real, () => undefined),
      realTables,
    );

    const memory = new MemoryDynamo(pipelineTables(realTables));
    const inMemory = { send: memory.send } as unknown as DocumentClient;
    await scenario(inMemory, realTables);
    const onMemory = await run(inMemory, realTables);

    const comparable = ({ runId: _runId, ...rest }: RunSummary) => rest;
    expect(comparable(onMemory.summary)).toEqual(comparable(onDynalite.summary));
    expect(onMemory.counts).toEqual(onDynalite.counts);
    expect(onDynalite.summary).toMatchObject({ leadsAssigned: 43, membersServed: 4 });
    expect(
      await mailsTo(
        stack.current,
        ['a', 'b', 'c', 'd'].map((id) => `${id}@parity.example`),
      ),
    ).toHaveLength(8);
  });
});
