import { activeAddressMark } from '../../members/domain/member-record';
import { replacementsDelivered } from '../../returns/domain/returns';
import { mapWithConcurrency } from '../../shared/concurrency';
import { type DistributionSettings, type Roster, RunNotFinishedError, type StoredRun } from '../domain/run';
import type { DistributionDeps } from '../ports';
import { replacementsOwedAtStart } from './plan';

/**
 * Emails each member the run served at most once: members are claimed in numbered chunks by conditional
 * puts before any email goes out, and a claimed member is never sent to again, so a retry never emails a
 * member twice. What that costs is counted, not hidden: a chunk still `claimed` on a retry (the attempt
 * died between the claim and recording its sends) and a send with no answer are `notifiedUnknown`.
 * A member whose address is marked (SES reported a hard bounce or a complaint) keeps the leads but gets
 * no email: counted as `notMailed`.
 */
export const notifyServedMembers = async (
  deps: Pick<DistributionDeps, 'notifications' | 'notifier'>,
  settings: DistributionSettings,
  run: StoredRun,
  roster: Roster,
  lease: { renewIfDue(): Promise<void> },
  remainingMs: () => number,
): Promise<{ served: number; notified: number; notifiedUnknown: number; notMailed: number }> => {
  const { notifications } = deps;
  const everyServed = [...roster.values()]
    .filter((entry) => entry.received > entry.base)
    .sort((a, b) => (a.member.memberId < b.member.memberId ? -1 : 1));
  const served = everyServed.filter((entry) => !activeAddressMark(entry.member));
  const notMailed = everyServed.length - served.length;
  if (served.length === 0) return { served: everyServed.length, notified: 0, notifiedUnknown: 0, notMailed };
  const expiresAt = run.expiresAt;
  let chunks = await notifications.chunks(run.runId);
  for (;;) {
    const claimed = new Set(chunks.flatMap((chunk) => chunk.memberIds));
    const waiting = served.filter((entry) => !claimed.has(entry.member.memberId));
    if (waiting.length === 0) break;
    await lease.renewIfDue();
    if (remainingMs() < settings.safetyMarginMs)
      throw new RunNotFinishedError(
        'out of time while notifying; the retry continues with the members not yet claimed',
      );
    const batch = waiting.slice(0, settings.notifyChunkSize);
    const index = chunks.reduce((highest, chunk) => Math.max(highest, chunk.index + 1), 0);
    const ids = batch.map((entry) => entry.member.memberId);
    if (!(await notifications.claim(run.runId, index, ids, expiresAt))) {
      chunks = await notifications.chunks(run.runId);
      continue;
    }
    const results = await mapWithConcurrency(batch, batch.length, (entry) =>
      deps.notifier.notify({
        memberId: entry.member.memberId,
        email: entry.member.email,
        name: entry.member.name,
        leads: entry.received - entry.base,
        replacements: replacementsDelivered(
          replacementsOwedAtStart(entry.member, run.runId),
          entry.received - entry.base,
        ),
      }),
    );
    const failed = ids.filter((_, position) => results[position] === 'failed');
    const unknown = ids.filter((_, position) => results[position] === 'unknown');
    await notifications.record(run.runId, index, { failed, unknown });
    chunks.push({ index, memberIds: ids, state: 'sent', failed, unknown });
  }
  let notified = 0;
  let notifiedUnknown = 0;
  for (const chunk of chunks) {
    if (chunk.state !== 'sent') {
      notifiedUnknown += chunk.memberIds.length;
      continue;
    }
    const unknown = chunk.unknown?.length ?? 0;
    notifiedUnknown += unknown;
    notified += chunk.memberIds.length - (chunk.failed?.length ?? 0) - unknown;
  }
  return { served: everyServed.length, notified, notifiedUnknown, notMailed };
};
