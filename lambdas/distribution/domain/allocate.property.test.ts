import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIERS } from '../../members/domain/tiers';
import {
  type AllocationInput,
  type AllocationPlan,
  type CandidateLead,
  DELIVERABLE,
  type MemberDemand,
  planAllocation,
  planAllocationAsync,
} from './allocate';

/**
 * Properties of the planner over random members (any tier, any received count), uploads of random sizes
 * and verification outcomes, earlier assignments and `maxAssignmentsPerLead` 1-3.
 */

const RUNS = { numRuns: 300 };
const STATUSES = [DELIVERABLE, DELIVERABLE, DELIVERABLE, 'rejected', 'pending'] as const;

interface Scenario {
  input: AllocationInput;
  quotaOf: Map<string, number>;
}

const leadArbitrary = (maxAssignments: number) =>
  fc.record({
    status: fc.constantFrom(...STATUSES),
    assignedCount: fc.nat({ max: maxAssignments }),
  });

const scenarioArbitrary = (options: { withHeldLeads: boolean }): fc.Arbitrary<Scenario> =>
  fc
    .record({
      maxAssignmentsPerLead: fc.integer({ min: 1, max: 3 }),
      uploadSizes: fc.array(fc.nat({ max: 25 }), { maxLength: 5 }),
      memberCount: fc.integer({ min: 0, max: 12 }),
    })
    .chain(({ maxAssignmentsPerLead, uploadSizes, memberCount }) => {
      const uploads = fc.tuple(
        ...uploadSizes.map((size, uploadIndex) =>
          fc.record({
            // Few distinct days, so ties on createdAt (broken by uploadId) happen too.
            createdAt: fc.integer({ min: 1, max: 4 }).map((day) => `2026-03-0${day}T00:00:00Z`),
            leads: fc
              .array(leadArbitrary(maxAssignmentsPerLead), { minLength: size, maxLength: size })
              .map((leads) => leads.map((lead, index) => ({ ...lead, leadId: `u${uploadIndex}-l${index}` }))),
          }),
        ),
      );
      const leadIds = uploadSizes.flatMap((size, uploadIndex) =>
        Array.from({ length: size }, (_, index) => `u${uploadIndex}-l${index}`),
      );
      const members = fc.tuple(
        ...Array.from({ length: memberCount }, () =>
          fc.record({
            tier: fc.constantFrom(...DEFAULT_TIERS),
            receivedThisWeek: fc.nat({ max: 12 }),
            // A small quota override keeps the demand comparable to the supply in these sizes.
            quotaOverride: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
            lastServedAt: fc.option(
              fc.integer({ min: 0, max: 5 }).map((hour) => `2026-03-0${hour + 1}T10:00:00Z`),
              { nil: null },
            ),
            held: options.withHeldLeads
              ? fc.subarray(leadIds, { maxLength: Math.min(6, leadIds.length) })
              : fc.constant([]),
          }),
        ),
      );
      // Callers may list uploads in any order: shuffle them so the planner's own ordering is what counts.
      const shuffledUploads = uploads.chain((generated) =>
        fc.shuffledSubarray(
          generated.map((upload, index) => ({ uploadId: `u${index}`, ...upload })),
          { minLength: generated.length },
        ),
      );
      return fc.tuple(fc.constant(maxAssignmentsPerLead), shuffledUploads, members);
    })
    .map(([maxAssignmentsPerLead, uploads, members]) => {
      const quotaOf = new Map<string, number>();
      const demands = members.map((generated, index): MemberDemand => {
        const memberId = `m${String(index).padStart(2, '0')}`;
        const quota = generated.quotaOverride ?? generated.tier.weeklyQuota;
        quotaOf.set(memberId, quota);
        return {
          memberId,
          need: Math.max(0, quota - generated.receivedThisWeek),
          receivedThisWeek: generated.receivedThisWeek,
          lastServedAt: generated.lastServedAt,
          alreadyHasLeadIds: new Set(generated.held),
        };
      });
      return {
        quotaOf,
        input: {
          maxAssignmentsPerLead,
          members: demands,
          uploads,
        },
      };
    });

const allLeads = (input: AllocationInput): (CandidateLead & { uploadId: string })[] =>
  input.uploads.flatMap((upload) =>
    [...upload.leads].map((lead) => ({ ...lead, uploadId: upload.uploadId })),
  );

const plannedCountByLead = (plan: AllocationPlan): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const { leadId } of plan.assignments) counts.set(leadId, (counts.get(leadId) ?? 0) + 1);
  return counts;
};

/** Whether a lead could still go to one more member after the plan. */
const spareAfter = (lead: CandidateLead, plan: AllocationPlan, maxAssignments: number) =>
  lead.status === DELIVERABLE &&
  lead.assignedCount + (plannedCountByLead(plan).get(lead.leadId) ?? 0) < maxAssignments;

const holds = (member: MemberDemand, leadId: string, plan: AllocationPlan) =>
  member.alreadyHasLeadIds?.has(leadId) ||
  plan.assignments.some(
    (assignment) => assignment.memberId === member.memberId && assignment.leadId === leadId,
  );

const maxAssignmentsOf = (input: AllocationInput) => input.maxAssignmentsPerLead ?? 1;

// The expected orders are written out again here, not imported, so a fault in the planner's own
// comparators cannot hide behind them.
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const oldestFirst = (input: AllocationInput) =>
  [...input.uploads].sort(
    (a, b) => byText(String(a.createdAt), String(b.createdAt)) || byText(a.uploadId, b.uploadId),
  );
const turnOrder = (members: readonly MemberDemand[]) =>
  [...members]
    .sort(
      (a, b) =>
        a.receivedThisWeek - b.receivedThisWeek ||
        byText(String(a.lastServedAt ?? ''), String(b.lastServedAt ?? '')) ||
        byText(a.memberId, b.memberId),
    )
    .map((member) => member.memberId);

describe('planAllocation properties', () => {
  it('never takes a member past the weekly quota of their tier', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ withHeldLeads: true }), ({ input, quotaOf }) => {
        const plan = planAllocation(input);

        for (const member of input.members) {
          const got = plan.assignments.filter((assignment) => assignment.memberId === member.memberId).length;
          expect(got).toBeLessThanOrEqual(member.need);
          expect(member.receivedThisWeek + got).toBeLessThanOrEqual(
            Math.max(member.receivedThisWeek, quotaOf.get(member.memberId) ?? 0),
          );
          const entry = plan.perMember.find((candidate) => candidate.memberId === member.memberId);
          expect(entry?.got).toBe(got);
          expect(entry?.fromUploads.reduce((sum, tally) => sum + tally.count, 0)).toBe(got);
        }
      }),
      RUNS,
    );
  });

  it('never gives a lead twice to one member, nor to more than maxAssignmentsPerLead members in all', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ withHeldLeads: true }), ({ input }) => {
        const plan = planAllocation(input);
        const pairs = plan.assignments.map((assignment) => `${assignment.memberId}|${assignment.leadId}`);
        const counts = plannedCountByLead(plan);

        expect(new Set(pairs).size).toBe(pairs.length);
        for (const assignment of plan.assignments) {
          const member = input.members.find((entry) => entry.memberId === assignment.memberId);
          expect(member?.alreadyHasLeadIds?.has(assignment.leadId)).toBe(false);
        }
        for (const lead of allLeads(input)) {
          expect(lead.assignedCount + (counts.get(lead.leadId) ?? 0)).toBeLessThanOrEqual(
            Math.max(lead.assignedCount, maxAssignmentsOf(input)),
          );
        }
      }),
      RUNS,
    );
  });

  it('hands out only verified deliverable leads, each from the upload it belongs to', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ withHeldLeads: true }), ({ input }) => {
        const plan = planAllocation(input);
        const leadsById = new Map(allLeads(input).map((lead) => [lead.leadId, lead]));

        for (const assignment of plan.assignments) {
          expect(leadsById.get(assignment.leadId)?.status).toBe(DELIVERABLE);
          expect(leadsById.get(assignment.leadId)?.uploadId).toBe(assignment.uploadId);
        }
      }),
      RUNS,
    );
  });

  it('drains uploads strictly oldest first: no member gets a newer lead while an older one they could take is left', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ withHeldLeads: true }), ({ input }) => {
        const plan = planAllocation(input);
        const ordered = oldestFirst(input);
        const rank = new Map(ordered.map((upload, index) => [upload.uploadId, index]));
        const uploadRanks = plan.assignments.map((assignment) => rank.get(assignment.uploadId) ?? -1);

        // The assignment sequence never goes back to an older upload.
        expect(uploadRanks).toEqual([...uploadRanks].sort((a, b) => a - b));
        for (const assignment of plan.assignments) {
          const member = input.members.find((entry) => entry.memberId === assignment.memberId);
          const olderUploads = ordered.slice(0, rank.get(assignment.uploadId));
          for (const lead of olderUploads.flatMap((upload) => [...upload.leads])) {
            if (member && spareAfter(lead, plan, maxAssignmentsOf(input)))
              expect(holds(member, lead.leadId, plan)).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('leaves a member short only when no lead left anywhere could go to them', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ withHeldLeads: true }), ({ input }) => {
        const plan = planAllocation(input);

        for (const short of plan.shortMembers) {
          const member = input.members.find((entry) => entry.memberId === short.memberId);
          for (const lead of allLeads(input)) {
            if (member && spareAfter(lead, plan, maxAssignmentsOf(input)))
              expect(holds(member, lead.leadId, plan)).toBe(true);
          }
        }
        expect(plan.shortMembers).toEqual(
          plan.perMember
            .filter((entry) => entry.got < entry.need)
            .map(({ memberId, need, got }) => ({ memberId, need, got })),
        );
        expect(plan.totals.assigned).toBe(plan.assignments.length);
      }),
      RUNS,
    );
  });

  it('marks an upload exhausted exactly when none of its leads could go to anyone any more', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ withHeldLeads: true }), ({ input }) => {
        const plan = planAllocation(input);

        for (const usage of plan.uploadsTouched) {
          const upload = input.uploads.find((entry) => entry.uploadId === usage.uploadId);
          const hasSpare = [...(upload?.leads ?? [])].some((lead) =>
            spareAfter(lead, plan, maxAssignmentsOf(input)),
          );
          expect(usage.exhausted).toBe(!hasSpare);
        }
        expect(plan.exhaustedUploads).toEqual(
          plan.uploadsTouched.filter((usage) => usage.exhausted).map((usage) => usage.uploadId),
        );
      }),
      RUNS,
    );
  });

  it('spreads a shortfall fairly: a short member trails nobody by more than one lead, nor anyone after them in turn', () => {
    // Earlier holdings can make one lead unusable for one member, so fairness is stated without them.
    fc.assert(
      fc.property(scenarioArbitrary({ withHeldLeads: false }), ({ input }) => {
        const plan = planAllocation(input);
        const order = turnOrder(input.members);
        const got = new Map(plan.perMember.map((entry) => [entry.memberId, entry.got]));
        const needOf = new Map(plan.perMember.map((entry) => [entry.memberId, entry.need]));

        for (const short of plan.shortMembers) {
          for (const other of plan.perMember) {
            expect(other.got).toBeLessThanOrEqual(short.got + 1);
            const later = order.indexOf(other.memberId) > order.indexOf(short.memberId);
            if (later) expect(other.got).toBeLessThanOrEqual(short.got);
          }
        }
        for (const a of plan.perMember) {
          for (const b of plan.perMember) {
            if (needOf.get(a.memberId) === needOf.get(b.memberId))
              expect(Math.abs((got.get(a.memberId) ?? 0) - (got.get(b.memberId) ?? 0))).toBeLessThanOrEqual(
                1,
              );
          }
        }
      }),
      RUNS,
    );
  });

  it('makes the same plan every time, and the same from async leads', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary({ withHeldLeads: true }), async ({ input }) => {
        const asyncInput = {
          ...input,
          uploads: input.uploads.map((upload) => ({
            ...upload,
            leads: (async function* () {
              yield* upload.leads;
            })(),
          })),
        };

        expect(planAllocation(input)).toEqual(planAllocation(input));
        expect(await planAllocationAsync(asyncInput)).toEqual(planAllocation(input));
      }),
      { numRuns: 100 },
    );
  });

  it('never exceeds a quota or repeats a lead when the run happens twice in a week', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ withHeldLeads: true }), ({ input, quotaOf }) => {
        const first = planAllocation(input);
        const firstCounts = plannedCountByLead(first);
        // What the second run reads back: counts and holdings updated by the first run's writes.
        const afterFirst: AllocationInput = {
          maxAssignmentsPerLead: input.maxAssignmentsPerLead,
          members: input.members.map((member) => {
            const got = first.perMember.find((entry) => entry.memberId === member.memberId)?.got ?? 0;
            const received = member.receivedThisWeek + got;
            return {
              ...member,
              receivedThisWeek: received,
              need: Math.max(0, (quotaOf.get(member.memberId) ?? 0) - received),
              alreadyHasLeadIds: new Set([
                ...(member.alreadyHasLeadIds ?? []),
                ...first.assignments.filter((a) => a.memberId === member.memberId).map((a) => a.leadId),
              ]),
            };
          }),
          uploads: [
            ...input.uploads.map((upload) => ({
              ...upload,
              leads: [...upload.leads].map((lead) => ({
                ...lead,
                assignedCount: lead.assignedCount + (firstCounts.get(lead.leadId) ?? 0),
              })),
            })),
            // A new file arrived between the runs, so the second run has something to hand out.
            {
              uploadId: 'late',
              createdAt: '2026-03-09T00:00:00Z',
              leads: Array.from({ length: 15 }, (_, index) => ({
                leadId: `late-${index}`,
                status: DELIVERABLE,
                assignedCount: 0,
              })),
            },
          ],
        };

        const second = planAllocation(afterFirst);
        const both = [...first.assignments, ...second.assignments];

        for (const member of input.members) {
          const total = both.filter((assignment) => assignment.memberId === member.memberId).length;
          expect(total).toBeLessThanOrEqual(member.need);
        }
        const pairs = both.map((assignment) => `${assignment.memberId}|${assignment.leadId}`);
        expect(new Set(pairs).size).toBe(pairs.length);
      }),
      RUNS,
    );
  });
});

describe('planAllocation properties, proportional shortfall policy', () => {
  const proportional = (input: AllocationInput): AllocationInput => ({
    ...input,
    shortfallPolicy: 'proportional',
  });
  /** One member per lead, nobody holding anything yet: every deliverable lead left can go to anyone. */
  const singleHolder = (input: AllocationInput): AllocationInput =>
    proportional({ ...input, maxAssignmentsPerLead: 1 });

  it('never gives a member more than they are owed', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ withHeldLeads: true }), ({ input }) => {
        const plan = planAllocation(proportional(input));

        for (const member of input.members) {
          const got = plan.assignments.filter((assignment) => assignment.memberId === member.memberId).length;
          expect(got).toBeLessThanOrEqual(member.need);
          expect(plan.perMember.find((entry) => entry.memberId === member.memberId)?.need).toBe(member.need);
        }
      }),
      RUNS,
    );
  });

  it('never gives a lead twice to one member, nor to more than maxAssignmentsPerLead members in all', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ withHeldLeads: true }), ({ input }) => {
        const plan = planAllocation(proportional(input));
        const pairs = plan.assignments.map((assignment) => `${assignment.memberId}|${assignment.leadId}`);
        const counts = plannedCountByLead(plan);

        expect(new Set(pairs).size).toBe(pairs.length);
        for (const assignment of plan.assignments) {
          const member = input.members.find((entry) => entry.memberId === assignment.memberId);
          expect(member?.alreadyHasLeadIds?.has(assignment.leadId)).toBe(false);
        }
        for (const lead of allLeads(input))
          expect(lead.assignedCount + (counts.get(lead.leadId) ?? 0)).toBeLessThanOrEqual(
            Math.max(lead.assignedCount, maxAssignmentsOf(input)),
          );
      }),
      RUNS,
    );
  });

  it('hands out the oldest upload first: the assignments never go back to an older upload', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ withHeldLeads: false }), ({ input }) => {
        const plan = planAllocation(singleHolder(input));
        const rank = new Map(oldestFirst(input).map((upload, index) => [upload.uploadId, index]));
        const uploadRanks = plan.assignments.map((assignment) => rank.get(assignment.uploadId) ?? -1);

        expect(uploadRanks).toEqual([...uploadRanks].sort((a, b) => a - b));
        // Nothing newer is handed out while an older lead that anyone could take is left.
        const lastRank = uploadRanks.at(-1) ?? 0;
        for (const upload of oldestFirst(input).slice(0, lastRank))
          for (const lead of upload.leads) expect(spareAfter(lead, plan, 1)).toBe(false);
      }),
      RUNS,
    );
  });

  it('gives each member of a short supply their exact share, to within one lead, all of the supply handed out', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ withHeldLeads: false }), ({ input }) => {
        const single = singleHolder(input);
        const plan = planAllocation(single);
        const supply = allLeads(single).filter(
          (lead) => lead.status === DELIVERABLE && lead.assignedCount < 1,
        ).length;
        const totalNeed = input.members.reduce((sum, member) => sum + member.need, 0);

        expect(plan.totals.assigned).toBe(Math.min(supply, totalNeed));
        if (supply >= totalNeed) return;
        for (const entry of plan.perMember) {
          const exact = (entry.need * supply) / totalNeed;
          expect(entry.got === Math.floor(exact) || entry.got === Math.ceil(exact)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('makes the same plan whatever order the members come in, and the same from async leads', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenarioArbitrary({ withHeldLeads: true }).chain((scenario) =>
          fc
            .shuffledSubarray([...scenario.input.members], { minLength: scenario.input.members.length })
            .map((members) => ({ input: proportional(scenario.input), members })),
        ),
        async ({ input, members }) => {
          const shares = (plan: AllocationPlan) =>
            Object.fromEntries(plan.perMember.map((entry) => [entry.memberId, entry.got]));
          const plan = planAllocation(input);
          const asyncPlan = await planAllocationAsync({
            ...input,
            uploads: input.uploads.map((upload) => ({
              ...upload,
              leads: (async function* () {
                yield* upload.leads;
              })(),
            })),
          });

          expect(planAllocation({ ...input, members })).toEqual(plan);
          expect(asyncPlan).toEqual(plan);
          expect(shares(plan)).toEqual(shares(planAllocation({ ...input, members: [...members].reverse() })));
        },
      ),
      { numRuns: 150 },
    );
  });
});
