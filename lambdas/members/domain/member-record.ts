import type { CounterDeltas } from '../../shared/counters';
import {
  type AddressMark,
  type CountedMemberState,
  ELIGIBLE_INDEX_PK,
  eligibleTierCounter,
  MEMBER_DIRECTORY_PK,
  type MemberItem,
  memberKey,
  memberTierIndexKeys,
  NOT_ELIGIBLE_INDEX_PK,
} from '../../shared/model';
import type { MemberInput, MemberView } from './member-schemas';
import { isEligible, type Tier, weeklyQuota } from './tiers';

/** The member item as the store keeps it, and what it counts for on the global counters. Pure. */

/** The mark on the member's current address, if any (a mark on an address they no longer have is void). */
export const activeAddressMark = (
  item: Pick<MemberItem, 'email'> & { addressMark?: AddressMark | null },
): AddressMark | undefined =>
  item.addressMark && item.addressMark.address === item.email ? item.addressMark : undefined;

export const toMemberView = (item: MemberItem): MemberView => {
  const mark = activeAddressMark(item);
  return {
    ...profileView(item),
    addressMark: mark ? { reason: mark.reason, at: mark.at } : null,
    softBounces: item.softBounces ?? 0,
  };
};

const profileView = (item: MemberItem) => ({
  id: item.memberId,
  email: item.email,
  name: item.name,
  tier: item.tier,
  subscriptionStatus: item.subscriptionStatus,
  subscriptionEndsAt: item.subscriptionEndsAt ?? null,
  subscriptionStartedAt: item.subscriptionStartedAt ?? null,
  weeklyQuotaOverride: item.weeklyQuotaOverride ?? null,
  weeklyQuota: item.counted.weeklyQuota,
  eligible: item.counted.eligible,
  version: item.version,
  updatedAt: item.updatedAt,
});

const contribution = (counted: CountedMemberState | undefined): Record<string, number> => ({
  ...(counted?.eligible
    ? { eligibleMembers: 1, [eligibleTierCounter(counted.tier)]: 1, weeklyDemand: counted.weeklyQuota }
    : {}),
  ...(counted?.marked ? { markedMembers: 1 } : {}),
});

/** What the global counters must change by when a member goes from `before` to `after`. */
export const counterDeltas = (
  before: CountedMemberState | undefined,
  after: CountedMemberState,
): CounterDeltas => {
  const deltas: Record<string, number> = {};
  for (const [name, value] of Object.entries(contribution(after))) deltas[name] = value;
  for (const [name, value] of Object.entries(contribution(before)))
    deltas[name] = (deltas[name] ?? 0) - value;
  return Object.fromEntries(Object.entries(deltas).filter(([, delta]) => delta !== 0));
};

const sameMark = (a: AddressMark | null | undefined, b: AddressMark | null | undefined) =>
  (a ?? null) === (b ?? null) ||
  (!!a && !!b && a.address === b.address && a.reason === b.reason && a.at === b.at);

export const sameContent = (item: MemberItem, next: MemberItem): boolean =>
  item.email === next.email &&
  item.name === next.name &&
  item.tier === next.tier &&
  item.subscriptionStatus === next.subscriptionStatus &&
  (item.subscriptionEndsAt ?? null) === (next.subscriptionEndsAt ?? null) &&
  (item.subscriptionStartedAt ?? null) === (next.subscriptionStartedAt ?? null) &&
  (item.weeklyQuotaOverride ?? null) === (next.weeklyQuotaOverride ?? null) &&
  item.counted.eligible === next.counted.eligible &&
  item.counted.tier === next.counted.tier &&
  item.counted.weeklyQuota === next.counted.weeklyQuota &&
  (item.counted.marked ?? false) === (next.counted.marked ?? false) &&
  sameMark(item.addressMark, next.addressMark) &&
  (item.softBounces ?? 0) === (next.softBounces ?? 0) &&
  // A member written before an index key existed is rewritten by its next sync, which indexes it.
  item.gsi1pk === next.gsi1pk &&
  item.gsi3pk === next.gsi3pk &&
  item.gsi3sk === next.gsi3sk;

/** What the counters count for a member now (tiers and end dates move on their own). */
export const countedStateOf = (
  member: {
    memberId: string;
    email: string;
    addressMark?: AddressMark | null;
    tier: string;
    subscriptionStatus: string;
    subscriptionEndsAt?: string | null;
    weeklyQuotaOverride?: number | null;
  },
  now: Date,
  tiers: readonly Tier[],
): CountedMemberState => ({
  eligible: isEligible(member, now, tiers),
  tier: member.tier,
  weeklyQuota: weeklyQuota(member, tiers),
  marked: activeAddressMark(member) !== undefined,
});

/**
 * The next version of a member's item from the synced input (indexes and counted state included). The
 * address feedback (mark, soft bounces) stays while the address does: it is about the address.
 */
export const buildMemberItem = (
  memberId: string,
  input: MemberInput,
  current: MemberItem | undefined,
  now: Date,
  tiers: readonly Tier[],
): MemberItem => {
  const at = now.toISOString();
  const fields = {
    memberId,
    email: input.email,
    name: input.name,
    tier: input.tier,
    subscriptionStatus: input.subscriptionStatus,
    subscriptionEndsAt: input.subscriptionEndsAt ?? null,
    subscriptionStartedAt: input.subscriptionStartedAt ?? null,
    weeklyQuotaOverride: input.weeklyQuotaOverride ?? null,
  };
  const sameAddress = current?.email === input.email;
  const feedback = {
    addressMark: sameAddress ? (current?.addressMark ?? null) : null,
    softBounces: sameAddress ? (current?.softBounces ?? 0) : 0,
  };
  const counted = countedStateOf({ ...fields, ...feedback }, now, tiers);
  // Entitlement accrues only while eligible: a member coming back from a pause or a lapse starts again now.
  const resumed = current !== undefined && !current.counted.eligible && counted.eligible;
  return {
    ...memberKey(memberId),
    sk: 'PROFILE',
    ...fields,
    ...feedback,
    eligibleSince: resumed ? at : counted.eligible ? (current?.eligibleSince ?? null) : null,
    version: (current?.version ?? 0) + 1,
    counted,
    createdAt: current?.createdAt ?? at,
    updatedAt: at,
    gsi1pk: counted.eligible ? ELIGIBLE_INDEX_PK : NOT_ELIGIBLE_INDEX_PK,
    gsi1sk: memberId,
    gsi2pk: MEMBER_DIRECTORY_PK,
    gsi2sk: memberId,
    ...memberTierIndexKeys(input.tier, counted.eligible, memberId),
    // What returns and runs keep on the profile with ADD (under a new version) is theirs, not the input's.
    ...carriedOver(current),
  };
};

const carriedOver = (current: MemberItem | undefined) => ({
  ...(current?.replacementsOwed === undefined ? {} : { replacementsOwed: current.replacementsOwed }),
  ...(current?.replacementsSettled === undefined ? {} : { replacementsSettled: current.replacementsSettled }),
  ...(current?.inflight === undefined ? {} : { inflight: current.inflight }),
});
