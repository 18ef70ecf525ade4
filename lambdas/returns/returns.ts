import { weekKey as weekKeyOf } from '../schedules/domain/schedule';
import { claimOf, newClaim } from '../shared/counting-claim';
import { ConflictError, NotFoundError } from '../shared/errors';
import type { ReturnItem } from '../shared/model';
import { returnKey, returnQueueIndexKeys } from '../shared/model';
import type { DynamoReturnStore } from './adapters/return-store';
import {
  AUTOMATIC_DECIDER,
  parseReturnId,
  type ReturnRefusal,
  type ReturnRequest,
  type ReturnSettings,
  returnIdOf,
  weeklyReturnCap,
  windowStart,
} from './domain/returns';

export type ReturnStore = Pick<
  DynamoReturnStore,
  | 'delivery'
  | 'weekOfRun'
  | 'receivedInWeek'
  | 'countAgainstCap'
  | 'get'
  | 'create'
  | 'decide'
  | 'finishCounting'
  | 'takeOver'
>;

export interface ReturnDeps {
  readonly store: ReturnStore;
  readonly now: () => Date;
  /** The caller's time left: counting claims outlive it. */
  readonly remainingMs: number;
}

export interface FileReturnDeps extends ReturnDeps {
  readonly settings: ReturnSettings;
  /** The zone of the week a delivery counts in when its run is no longer on record. */
  readonly timeZone: string;
  /** A return for a bounce whose address the verifier knows bounces hard is approved at once. */
  readonly autoApprove?: {
    readonly isHardBounce: (email: string) => Promise<boolean>;
    readonly retireLead: DecideReturnDeps['retireLead'];
  };
}

export interface DecideReturnDeps extends ReturnDeps {
  /** Takes an approved return's lead out of circulation: the slots of it that leave the supply. */
  readonly retireLead: (item: ReturnItem) => Promise<number>;
}

/** A return refused on the spot, with the rule it broke (`details.reason`). */
export class ReturnRefusedError extends ConflictError {
  constructor(
    readonly reason: ReturnRefusal,
    message: string,
  ) {
    super(message, { reason });
  }
}

/** The same normalisation as the lead's stored address (trim, NFC, lower case). */
const normaliseEmail = (email: string) => email.trim().normalize('NFC').toLowerCase();

/**
 * A member returns a delivered lead. Steps: find the delivery of that address within the window (else
 * refused `outside_window`, or 404 if it was never theirs) -> count it against the cap of the week it was
 * delivered in (else refused `over_weekly_cap`) -> record it pending and count it once (else refused
 * `already_returned`) -> a bounce the verifier confirms (the address bounces hard) is approved at once.
 */
export const fileReturn = async (
  deps: FileReturnDeps,
  memberId: string,
  request: ReturnRequest,
): Promise<ReturnItem> => {
  const now = deps.now();
  const email = normaliseEmail(request.email);
  const from = windowStart(now, deps.settings).toISOString();
  const delivery = await deps.store.delivery(memberId, email, { from, to: '~' });
  if (!delivery) {
    if (await deps.store.delivery(memberId, email, { from: '', to: from })) {
      throw new ReturnRefusedError(
        'outside_window',
        `A lead can be returned within ${deps.settings.windowDays} days of its delivery; this one was delivered earlier`,
      );
    }
    throw new NotFoundError('No lead with this address was delivered to you');
  }
  const ref = { memberId, uploadId: delivery.uploadId, row: delivery.row };
  const returnId = returnIdOf(ref);
  if (await deps.store.get(ref)) {
    throw new ReturnRefusedError('already_returned', 'You have returned this lead already');
  }
  const week =
    (await deps.store.weekOfRun(delivery.runId)) ?? weekKeyOf(new Date(delivery.assignedAt), deps.timeZone);
  const received = await deps.store.receivedInWeek(memberId, week);
  const cap = weeklyReturnCap(received, deps.settings);
  if (!(await deps.store.countAgainstCap(memberId, week, returnId, cap))) {
    throw new ReturnRefusedError(
      'over_weekly_cap',
      `At most ${deps.settings.maxPercentPerWeek}% of a week's leads can be returned: ${cap} of the ${received} delivered in week ${week}, and that many are returned already`,
    );
  }
  const createdAt = now.toISOString();
  const item: ReturnItem = {
    ...returnKey(memberId, delivery.uploadId, delivery.row),
    ...returnQueueIndexKeys('pending', createdAt, returnId),
    returnId,
    memberId,
    uploadId: delivery.uploadId,
    row: delivery.row,
    assignedAt: delivery.assignedAt,
    weekKey: week,
    reason: request.reason,
    ...(request.text === undefined ? {} : { text: request.text }),
    state: 'pending',
    createdAt,
    countMarker: `RETURN#${returnId}#filed`,
    countGlobal: { returnsPending: 1 },
  };
  const claim = newClaim(now.getTime(), deps.remainingMs);
  if (!(await deps.store.create(item, claim))) {
    throw new ReturnRefusedError('already_returned', 'You have returned this lead already');
  }
  await deps.store.finishCounting(item, claim);
  if (request.reason === 'bounced' && deps.autoApprove && (await deps.autoApprove.isHardBounce(email))) {
    return decideReturn({ ...deps, retireLead: deps.autoApprove.retireLead }, returnId, {
      decision: 'approve',
      by: AUTOMATIC_DECIDER,
      note: 'the verifier knows this address bounces hard',
    });
  }
  return item;
};

/**
 * An admin (or a known bounce) decides a pending return. Steps: read it -> decided already: finish a
 * counting a crashed caller left, answer it as it is when the decision is the same, 409 otherwise -> its
 * filing still being counted: finish that first -> record the decision with its counting claim -> an
 * approval takes the lead out of circulation (its undelivered slots leave the supply) -> count once: the
 * queue's counters, the supply, and for an approval one replacement owed to the member.
 */
export const decideReturn = async (
  deps: DecideReturnDeps,
  returnId: string,
  command: { decision: 'approve' | 'refuse'; by: string; note?: string },
): Promise<ReturnItem> => {
  const ref = parseReturnId(returnId);
  if (!ref) throw new NotFoundError(`No return ${returnId}`);
  const target = command.decision === 'approve' ? 'approved' : 'refused';
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const item = await deps.store.get(ref);
    if (!item) throw new NotFoundError(`No return ${returnId}`);
    const nowMs = deps.now().getTime();
    const claim = newClaim(nowMs, deps.remainingMs);
    if (item.state !== 'pending' || claimOf(item as unknown as Record<string, unknown>)) {
      // Someone's counting is unfinished: resume it once its lease has run out.
      if (await deps.store.takeOver(item, claim, nowMs)) {
        await deps.store.finishCounting(await withRetiredLead(deps, item), claim);
      }
      if (item.state === target) return item;
      if (item.state !== 'pending') {
        throw new ConflictError(`Return ${returnId} was ${item.state} already`, { state: item.state });
      }
      if (claimOf((await deps.store.get(ref)) as unknown as Record<string, unknown>)) {
        throw new ConflictError(`Return ${returnId} is still being recorded; try again shortly`, {
          state: item.state,
        });
      }
      continue;
    }
    const countGlobal: Record<string, number> =
      target === 'approved'
        ? { returnsPending: -1, returnsApproved: 1 }
        : { returnsPending: -1, returnsRefused: 1 };
    const decision: Parameters<ReturnStore['decide']>[1] = {
      state: target,
      decidedAt: new Date(nowMs).toISOString(),
      decidedBy: command.by,
      ...(command.note === undefined ? {} : { note: command.note }),
      countMarker: `RETURN#${returnId}#${target}`,
      countGlobal,
      ...(target === 'approved' ? { countMember: { replacementsOwed: 1, version: 1 } } : {}),
    };
    if (!(await deps.store.decide(item, decision, claim))) continue;
    const decided: ReturnItem = { ...item, ...decision };
    await deps.store.finishCounting(await withRetiredLead(deps, decided), claim);
    return decided;
  }
  throw new ConflictError(`Return ${returnId} is being changed by another request; try again`);
};

/**
 * An approved return's lead leaves circulation only once the approval is recorded (a refusal can then no
 * longer win the race), before its counting: its undelivered slots join the counted deltas. Taking the lead
 * out again for the same return gives the same slots, so whoever finishes the counting adds the same.
 */
const withRetiredLead = async (deps: DecideReturnDeps, item: ReturnItem): Promise<ReturnItem> => {
  if (item.state !== 'approved') return item;
  const slots = await deps.retireLead(item);
  return { ...item, countGlobal: { ...item.countGlobal, leadsAvailable: -slots } };
};
