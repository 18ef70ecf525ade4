import { describe, expect, it } from 'vitest';
import {
  type AllocationPlan,
  AllocationPlanner,
  type CandidateLead,
  type MemberDemand,
  planAllocation,
  planAllocationAsync,
  sortByTurnOrder,
  type UploadSupply,
} from './allocate';

const deliverable = (leadId: string, assignedCount = 0): CandidateLead => ({
  leadId,
  status: 'deliverable',
  assignedCount,
});

const upload = (uploadId: string, createdAt: string, leads: CandidateLead[]): UploadSupply => ({
  uploadId,
  createdAt,
  leads,
});

const member = (memberId: string, need: number, overrides: Partial<MemberDemand> = {}): MemberDemand => ({
  memberId,
  need,
  receivedThisWeek: 0,
  ...overrides,
});

const leadsOf = (plan: AllocationPlan, memberId: string) =>
  plan.assignments
    .filter((assignment) => assignment.memberId === memberId)
    .map((assignment) => assignment.leadId);

const gotBy = (plan: AllocationPlan) =>
  Object.fromEntries(plan.perMember.map((entry) => [entry.memberId, entry.got]));

describe('planAllocation', () => {
  it('hands out one lead per member per round when supply is short', () => {
    const members = [member('a', 10), member('b', 10), member('c', 10)];
    const leads = ['l1', 'l2', 'l3', 'l4', 'l5'].map((id) => deliverable(id));

    const plan = planAllocation({ members, uploads: [upload('u1', '2026-03-01T00:00:00Z', leads)] });

    expect(plan.assignments.map((assignment) => `${assignment.memberId}:${assignment.leadId}`)).toEqual([
      'a:l1',
      'b:l2',
      'c:l3',
      'a:l4',
      'b:l5',
    ]);
    expect(plan.shortMembers).toEqual([
      { memberId: 'a', need: 10, got: 2 },
      { memberId: 'b', need: 10, got: 2 },
      { memberId: 'c', need: 10, got: 1 },
    ]);
    expect(plan.totals).toEqual({ need: 30, assigned: 5, shortfall: 25 });
  });

  it('serves the fewest received first, then the longest waiting (never served first), then by id', () => {
    const members = [
      member('recent', 1, { receivedThisWeek: 2, lastServedAt: '2026-03-09T10:00:00Z' }),
      member('plenty', 1, { receivedThisWeek: 5 }),
      member('waiting', 1, { receivedThisWeek: 2, lastServedAt: '2026-03-02T10:00:00Z' }),
      member('zed-new', 1, { receivedThisWeek: 2 }),
      member('abe-new', 1, { receivedThisWeek: 2, lastServedAt: null }),
      member('none-yet', 1, { receivedThisWeek: 0, lastServedAt: new Date('2026-03-09T12:00:00Z') }),
    ];

    const order = sortByTurnOrder(members).map((entry) => entry.memberId);
    const plan = planAllocation({
      members,
      uploads: [
        upload('u1', '2026-03-01T00:00:00Z', [deliverable('l1'), deliverable('l2'), deliverable('l3')]),
      ],
    });

    expect(order).toEqual(['none-yet', 'abe-new', 'zed-new', 'waiting', 'recent', 'plenty']);
    expect(plan.assignments.map((assignment) => assignment.memberId)).toEqual([
      'none-yet',
      'abe-new',
      'zed-new',
    ]);
  });

  it('drains the oldest upload first whatever order the uploads come in, and marks it exhausted', () => {
    const uploads = [
      upload('newer', '2026-03-05T00:00:00Z', [deliverable('n1'), deliverable('n2')]),
      upload('older', '2026-03-01T00:00:00Z', [deliverable('o1'), deliverable('o2')]),
    ];

    const plan = planAllocation({ members: [member('a', 3)], uploads });

    expect(leadsOf(plan, 'a')).toEqual(['o1', 'o2', 'n1']);
    expect(plan.exhaustedUploads).toEqual(['older']);
    expect(plan.uploadsTouched).toEqual([
      { uploadId: 'older', leadsWalked: 2, assignments: 2, exhausted: true },
      { uploadId: 'newer', leadsWalked: 2, assignments: 1, exhausted: false },
    ]);
    expect(plan.perMember[0]?.fromUploads).toEqual([
      { uploadId: 'older', count: 2 },
      { uploadId: 'newer', count: 1 },
    ]);
  });

  it('never hands out a lead that is not verified deliverable', () => {
    const leads: CandidateLead[] = [
      { leadId: 'rejected', status: 'rejected', assignedCount: 0 },
      { leadId: 'pending', status: 'pending', assignedCount: 0 },
      deliverable('good'),
    ];

    const plan = planAllocation({
      members: [member('a', 5)],
      uploads: [upload('u1', '2026-03-01T00:00:00Z', leads)],
    });

    expect(leadsOf(plan, 'a')).toEqual(['good']);
    expect(plan.exhaustedUploads).toEqual(['u1']);
  });

  it('skips a lead already at its assignment limit, so a rerun resumes where the last one ended', () => {
    const leads = [deliverable('taken', 1), deliverable('free')];

    const plan = planAllocation({
      members: [member('a', 2)],
      uploads: [upload('u1', '2026-03-01T00:00:00Z', leads)],
    });

    expect(leadsOf(plan, 'a')).toEqual(['free']);
  });

  it('shares a lead among up to maxAssignmentsPerLead different members', () => {
    const members = [member('a', 2), member('b', 2), member('c', 2)];
    const leads = [deliverable('l1'), deliverable('l2', 1), deliverable('l3')];

    const plan = planAllocation({
      members,
      uploads: [upload('u1', '2026-03-01T00:00:00Z', leads)],
      maxAssignmentsPerLead: 2,
    });

    expect(plan.assignments.map((assignment) => `${assignment.memberId}:${assignment.leadId}`)).toEqual([
      'a:l1',
      'b:l1',
      'c:l2',
      'a:l3',
      'b:l3',
    ]);
  });

  it('never gives a member a lead they already hold, and keeps their turn for the next lead', () => {
    const members = [member('a', 1, { alreadyHasLeadIds: new Set(['l1']) }), member('b', 1)];

    const plan = planAllocation({
      members,
      uploads: [upload('u1', '2026-03-01T00:00:00Z', [deliverable('l1'), deliverable('l2')])],
      maxAssignmentsPerLead: 2,
    });

    expect(plan.assignments.map((assignment) => `${assignment.memberId}:${assignment.leadId}`)).toEqual([
      'b:l1',
      'a:l2',
    ]);
  });

  it('stops once everyone is served, keeping an upload with leads left queued and later uploads untouched', () => {
    const uploads = [
      upload('u1', '2026-03-01T00:00:00Z', [deliverable('l1'), deliverable('l2'), deliverable('l3')]),
      upload('u2', '2026-03-02T00:00:00Z', [deliverable('l4')]),
    ];

    const plan = planAllocation({ members: [member('a', 1), member('b', 1)], uploads });

    expect(plan.assignments).toHaveLength(2);
    expect(plan.exhaustedUploads).toEqual([]);
    expect(plan.uploadsTouched.map((usage) => usage.uploadId)).toEqual(['u1']);
    expect(plan.shortMembers).toEqual([]);
  });

  it('marks an upload exhausted in the same run when everything after the last lead used is spent', () => {
    const leads = [
      deliverable('l1'),
      deliverable('l2'),
      { leadId: 'bad', status: 'rejected', assignedCount: 0 },
    ];

    const plan = planAllocation({
      members: [member('a', 2)],
      uploads: [upload('u1', '2026-03-01T00:00:00Z', leads)],
    });

    expect(plan.exhaustedUploads).toEqual(['u1']);
    expect(plan.uploadsTouched[0]?.leadsWalked).toBe(3);
  });

  it('reads no upload at all when nobody needs leads', () => {
    const plan = planAllocation({
      members: [member('a', 0)],
      uploads: [upload('u1', '2026-03-01T00:00:00Z', [deliverable('l1')])],
    });

    expect(plan.uploadsTouched).toEqual([]);
    expect(plan.perMember).toEqual([{ memberId: 'a', need: 0, got: 0, shortfall: 0, fromUploads: [] }]);
  });

  it('gives a member a lead only once even when a cursor overlap feeds the lead twice', () => {
    const plan = planAllocation({
      members: [member('a', 3)],
      uploads: [
        upload('u1', '2026-03-01T00:00:00Z', [deliverable('l1'), deliverable('l1'), deliverable('l2')]),
      ],
      maxAssignmentsPerLead: 2,
    });

    expect(leadsOf(plan, 'a')).toEqual(['l1', 'l2']);
  });

  it.each([
    [{ members: [member('a', 1), member('a', 2)] }, /listed twice/],
    [{ members: [member('a', -1)] }, /need of member a must be a whole number >= 0/],
    [{ members: [member('a', 1.5)] }, /need of member a/],
    [{ members: [], maxAssignmentsPerLead: 0 }, /maxAssignmentsPerLead must be a whole number >= 1/],
  ])('refuses bad input %#', (input, message) => {
    expect(() => planAllocation({ uploads: [], ...input })).toThrow(message);
  });
});

describe('planAllocationAsync', () => {
  async function* paged(
    leads: CandidateLead[],
    pageSize: number,
    log: { pagesRead: number; closed: boolean },
  ) {
    try {
      for (let start = 0; start < leads.length; start += pageSize) {
        log.pagesRead += 1;
        await Promise.resolve(); // a database round trip
        yield* leads.slice(start, start + pageSize);
      }
    } finally {
      log.closed = true;
    }
  }

  it('makes the same plan from paged async leads as from arrays', async () => {
    const members = [member('a', 4), member('b', 3, { receivedThisWeek: 1 }), member('c', 5)];
    const older = Array.from({ length: 7 }, (_, index) => deliverable(`o${index}`));
    const newer = Array.from({ length: 9 }, (_, index) => deliverable(`n${index}`));
    const log = { pagesRead: 0, closed: false };

    const fromArrays = planAllocation({
      members,
      uploads: [upload('old', '2026-03-01T00:00:00Z', older), upload('new', '2026-03-02T00:00:00Z', newer)],
    });
    const fromPages = await planAllocationAsync({
      members,
      uploads: [
        {
          uploadId: 'new',
          createdAt: '2026-03-02T00:00:00Z',
          leads: paged(newer, 4, { pagesRead: 0, closed: false }),
        },
        { uploadId: 'old', createdAt: '2026-03-01T00:00:00Z', leads: paged(older, 4, log) },
      ],
    });

    expect(fromPages).toEqual(fromArrays);
    expect(log.closed).toBe(true);
  });

  it('stops reading pages once everyone is served and a spare lead has been seen', async () => {
    const leads = Array.from({ length: 100 }, (_, index) => deliverable(`l${index}`));
    const log = { pagesRead: 0, closed: false };

    const plan = await planAllocationAsync({
      members: [member('a', 3)],
      uploads: [{ uploadId: 'u1', createdAt: '2026-03-01T00:00:00Z', leads: paged(leads, 10, log) }],
    });

    expect(plan.assignments).toHaveLength(3);
    expect(log.pagesRead).toBe(1);
    expect(log.closed).toBe(true);
  });
});

describe('AllocationPlanner', () => {
  it('lets a caller feed leads itself and stop early without marking the upload exhausted', () => {
    const planner = new AllocationPlanner([member('a', 1), member('b', 1)]);

    planner.beginUpload('u1');
    const first = planner.offer(deliverable('l1'));
    planner.endUpload(false);

    expect(first).toEqual([{ memberId: 'a', leadId: 'l1', uploadId: 'u1' }]);
    expect(planner.satisfied).toBe(false);
    expect(planner.result().exhaustedUploads).toEqual([]);
    expect(gotBy(planner.result())).toEqual({ a: 1, b: 0 });
  });

  it('refuses a lead offered before any upload was begun', () => {
    const planner = new AllocationPlanner([member('a', 1)]);

    expect(() => planner.offer(deliverable('l1'))).toThrow(/beginUpload/);
  });
});
