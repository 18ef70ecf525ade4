/**
 * The distribution benchmark: 100k queued leads (20 uploads, 5% rejected) to 10k members of the
 * four default tiers, through the real distribution function (`createHandler`) with an in-memory,
 * request-counting DynamoDB (bench/support/memory-dynamo.ts) and a counting SES stub.
 * Run: `npm run bench -- distribution [leads] [members]`.
 *
 * Figures: the planner's CPU time on the same input (median of rounds), the whole run's CPU and wall time
 * in this process (the stand-in's own work included), DynamoDB requests per assignment (by operation),
 * and SES calls per served member.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { MemoryDynamo, pipelineTables } from '../fixtures/memory-dynamo';
import { SesNotifier } from '../lambdas/distribution/adapters/ses-notifier';
import { createHandler } from '../lambdas/functions/distribution/handler';
import { DEFAULT_TIERS } from '../lambdas/members/domain/tiers';
import { MemberStore } from '../lambdas/members/member-store';
import { weekKey } from '../lambdas/schedules/domain/schedule';
import { addCounters } from '../lambdas/shared/counters';
import type { DocumentClient } from '../lambdas/shared/dynamo';
import {
  GLOBAL_COUNTERS_KEY,
  type LeadItem,
  leadKey,
  type MemberWeekItem,
  memberWeekKey,
  type UploadItem,
  uploadKey,
  uploadStateIndexKeys,
} from '../lambdas/shared/model';
import { buildInput, measureAllocation } from './distribution-allocation';

const TABLES = { uploads: 'Uploads', members: 'Members', control: 'Control' };
const SES_RATE = 14;

const putAll = async (doc: DocumentClient, table: string, items: Record<string, unknown>[]) => {
  for (let start = 0; start < items.length; start += 25)
    await doc.send(
      new BatchWriteCommand({
        RequestItems: { [table]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
};

/** Members, their tallies so far this week, and queued uploads with settled leads, as ingest and verification leave them. */
const seed = async (doc: DocumentClient, leadCount: number, memberCount: number, now: Date) => {
  const { members, uploads } = buildInput(leadCount, memberCount);
  const store = new MemberStore({
    doc,
    membersTable: TABLES.members,
    controlTable: TABLES.control,
    tiers: DEFAULT_TIERS,
    now: () => now,
  });
  for (const [index, member] of members.entries()) {
    await store.upsert(member.memberId, {
      email: `${member.memberId}@members.example`,
      name: `Member ${index}`,
      tier: DEFAULT_TIERS[index % DEFAULT_TIERS.length]?.name ?? 'starter',
      subscriptionStatus: 'active',
    });
  }
  const week = weekKey(now, 'UTC');
  const tallies: MemberWeekItem[] = members
    .filter((member) => member.receivedThisWeek > 0)
    .map((member) => ({
      ...memberWeekKey(member.memberId, week),
      memberId: member.memberId,
      weekKey: week,
      received: member.receivedThisWeek,
      runId: 'an-earlier-run',
      receivedBeforeRun: 0,
      lastServedAt: (member.lastServedAt as string | null) ?? now.toISOString(),
      lastServedBeforeRun: null,
      expiresAt: Math.floor(now.getTime() / 1000) + 40 * 86_400,
    }));
  await putAll(doc, TABLES.members, tallies as unknown as Record<string, unknown>[]);
  let deliverable = 0;
  for (const upload of uploads) {
    const createdAt = String(upload.createdAt);
    const item: UploadItem = {
      ...uploadKey(upload.uploadId),
      ...uploadStateIndexKeys('queued', createdAt, upload.uploadId),
      sk: 'UPLOAD',
      uploadId: upload.uploadId,
      state: 'queued',
      fileName: `${upload.uploadId}.csv`,
      sizeBytes: 1,
      uploadedBy: 'bench',
      createdAt,
      updatedAt: createdAt,
      objectKey: `uploads/${upload.uploadId}.csv`,
    };
    const leads: LeadItem[] = upload.leads.map((lead, row) => ({
      ...leadKey(upload.uploadId, row + 2),
      uploadId: upload.uploadId,
      row: row + 2,
      email: `lead-${upload.uploadId}-${row}@leads.example`,
      emailHash: `hash-${upload.uploadId}-${row}`,
      firstName: 'Pat',
      lastName: `Lead ${row}`,
      company: 'Example Ltd',
      title: 'Buyer',
      city: 'Lisbon',
      country: 'PT',
      status: lead.status as LeadItem['status'],
      createdAt,
    }));
    deliverable += leads.filter((lead) => lead.status === 'deliverable').length;
    await putAll(doc, TABLES.uploads, [item, ...leads] as unknown as Record<string, unknown>[]);
  }
  await addCounters(doc, TABLES.control, GLOBAL_COUNTERS_KEY, {
    leadsAvailable: deliverable,
    leadsDeliverable: deliverable,
    queuedUploads: uploads.length,
  });
  return { deliverable, totalNeed: members.reduce((sum, member) => sum + member.need, 0) };
};

export const main = async (args: string[]) => {
  const [leadArg, memberArg] = args.map(Number);
  const leadCount = leadArg || 100_000;
  const memberCount = memberArg || 10_000;
  const now = new Date();
  const memory = new MemoryDynamo(pipelineTables(TABLES));
  const doc = { send: memory.send } as unknown as DocumentClient;
  console.log(`seeding ${leadCount} leads and ${memberCount} members in memory…`);
  const seeded = await seed(doc, leadCount, memberCount, now);

  let sesCalls = 0;
  const ses = {
    send: async () => {
      sesCalls += 1;
      return { MessageId: `m-${sesCalls}` };
    },
  };
  const noWait = async () => undefined;
  const handler = createHandler(
    {
      TABLE_UPLOADS: TABLES.uploads,
      TABLE_MEMBERS: TABLES.members,
      TABLE_CONTROL: TABLES.control,
      TIERS: JSON.stringify(DEFAULT_TIERS),
      MAX_ASSIGNMENTS_PER_LEAD: '1',
      DEFAULT_TIME_ZONE: 'UTC',
      SES_SENDER: 'leads@proleads.example',
      SES_MAX_SEND_RATE: String(SES_RATE),
      SES_CONFIGURATION_SET: 'proleads-bench',
      LEADS_URL: 'https://app.proleads.example/leads',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      AWS_REGION: 'us-east-1',
    },
    {
      doc,
      sleep: noWait,
      metrics: { record: () => undefined },
      notifier: new SesNotifier({
        ses: ses as never,
        sender: 'leads@proleads.example',
        configurationSet: 'proleads-bench',
        leadsUrl: 'https://app.proleads.example/leads',
        maxSendRatePerSecond: SES_RATE,
        sleep: noWait,
        nowMs: () => Date.now(),
        logger: { warn: () => undefined, error: () => undefined },
      }),
    },
  );

  memory.resetCounts();
  const cpuBefore = process.cpuUsage();
  const wallStart = performance.now();
  const summary = await handler(
    { trigger: 'manual', runId: ulid(), requestedAt: now.toISOString(), requestedBy: 'bench' },
    { getRemainingTimeInMillis: () => 900_000 },
  );
  const cpu = process.cpuUsage(cpuBefore);
  const runWallMs = Math.round(performance.now() - wallStart);
  const requests = memory.totalRequests;
  const allocation = await measureAllocation(leadCount, memberCount);

  const byOperation = Object.fromEntries([...memory.requests].sort(([, a], [, b]) => b - a));
  const result = {
    leads: leadCount,
    members: memberCount,
    deliverable: seeded.deliverable,
    totalNeed: seeded.totalNeed,
    leadsAssigned: summary.leadsAssigned,
    membersServed: summary.membersServed,
    membersShort: summary.membersShort,
    dynamoRequests: requests,
    requestsPerAssignment: Math.round((requests / Math.max(1, summary.leadsAssigned)) * 1000) / 1000,
    requestsByOperation: byOperation,
    sesCalls,
    sesCallsPerServedMember: Math.round((sesCalls / Math.max(1, summary.membersServed)) * 1000) / 1000,
    allocationCpuMs: allocation.asyncPagedCpuMsMedian,
    runCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    runWallMs,
  };
  console.log(
    `leads assigned         ${result.leadsAssigned} of ${result.deliverable} deliverable (need ${result.totalNeed})`,
  );
  console.log(`members served / short ${result.membersServed} / ${result.membersShort}`);
  console.log(`DynamoDB requests      ${requests} = ${result.requestsPerAssignment} per assignment`);
  for (const [operation, count] of Object.entries(byOperation))
    console.log(`  ${operation.padEnd(20)} ${count}`);
  console.log(`SES calls              ${sesCalls} = ${result.sesCallsPerServedMember} per served member`);
  console.log(`allocation CPU         ${result.allocationCpuMs} ms (planner alone, paged leads, median)`);
  console.log(
    `whole run              ${result.runCpuMs} ms CPU, ${runWallMs} ms wall (in-memory DynamoDB included)`,
  );
  console.log(JSON.stringify(result));
  return result;
};
