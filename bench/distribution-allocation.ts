/**
 * Allocation CPU time for the benchmark: 100k queued leads (in 20 uploads, 5% rejected) to 10k
 * members of the four default tiers, most of whom already got part of this week's quota.
 * Run: `npm run bench -- distribution-allocation [leads] [members]`. Prints CPU ms (user + system) for
 * the synchronous planner and for the async one fed by paged generators, median of a few rounds.
 */
import {
  type CandidateLead,
  type MemberDemand,
  planAllocation,
  planAllocationAsync,
  type UploadSupply,
} from '../lambdas/distribution/domain/allocate';
import { DEFAULT_TIERS } from '../lambdas/members/domain/tiers';

const ROUNDS = 5;
const UPLOADS = 20;
const PAGE_SIZE = 1_000;

// A fixed-seed generator, so every run measures the same input.
const seeded = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

export const buildInput = (leadCount: number, memberCount: number) => {
  const random = seeded(42);
  const members: MemberDemand[] = Array.from({ length: memberCount }, (_, index) => {
    const tier = DEFAULT_TIERS[index % DEFAULT_TIERS.length] ?? { weeklyQuota: 10 };
    const receivedThisWeek = Math.floor(random() * tier.weeklyQuota);
    return {
      memberId: `member-${String(index).padStart(6, '0')}`,
      need: tier.weeklyQuota - receivedThisWeek,
      receivedThisWeek,
      lastServedAt:
        random() < 0.1 ? null : new Date(Date.UTC(2026, 2, 1 + Math.floor(random() * 7))).toISOString(),
    };
  });
  const perUpload = Math.ceil(leadCount / UPLOADS);
  const uploads: UploadSupply<CandidateLead[]>[] = Array.from({ length: UPLOADS }, (_, uploadIndex) => ({
    uploadId: `upload-${uploadIndex}`,
    createdAt: new Date(Date.UTC(2026, 1, 1 + uploadIndex)).toISOString(),
    leads: Array.from({ length: Math.min(perUpload, leadCount - uploadIndex * perUpload) }, (_, row) => ({
      leadId: `lead-${uploadIndex}-${row}`,
      status: random() < 0.05 ? 'rejected' : 'deliverable',
      assignedCount: 0,
    })),
  }));
  return { members, uploads };
};

async function* paged(leads: CandidateLead[]): AsyncGenerator<CandidateLead> {
  for (let start = 0; start < leads.length; start += PAGE_SIZE) {
    await Promise.resolve();
    yield* leads.slice(start, start + PAGE_SIZE);
  }
}

export const cpuMs = async (work: () => unknown): Promise<number> => {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
};

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** The planner's CPU time on the benchmark input, median of a few rounds. */
export const measureAllocation = async (leadCount = 100_000, memberCount = 10_000) => {
  const { members, uploads } = buildInput(leadCount, memberCount);
  const totalNeed = members.reduce((sum, member) => sum + member.need, 0);
  const syncTimes: number[] = [];
  const asyncTimes: number[] = [];
  let assigned = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    syncTimes.push(
      await cpuMs(() => {
        assigned = planAllocation({ members, uploads }).assignments.length;
      }),
    );
    asyncTimes.push(
      await cpuMs(() =>
        planAllocationAsync({
          members,
          uploads: uploads.map((upload) => ({ ...upload, leads: paged(upload.leads) })),
        }),
      ),
    );
  }
  const result = {
    leads: leadCount,
    members: memberCount,
    totalNeed,
    assigned,
    syncCpuMsMedian: Math.round(median(syncTimes)),
    asyncPagedCpuMsMedian: Math.round(median(asyncTimes)),
  };
  return result;
};

export const main = async (args: string[]) => {
  const [leads, members] = args.map(Number);
  console.log(JSON.stringify(await measureAllocation(leads || undefined, members || undefined)));
};
