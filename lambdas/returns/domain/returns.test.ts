import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETURN_SETTINGS,
  isHardBounce,
  parseReturnId,
  ReturnRequestSchema,
  replacementsDelivered,
  returnIdOf,
  weeklyReturnCap,
  windowStart,
} from './returns';

describe('return rules', () => {
  it('names a return by its lead and member, and reads the id back', () => {
    const ref = { uploadId: '01J0000000000000000000000A', row: 42, memberId: 'member.with:odd-chars_1' };
    expect(returnIdOf(ref)).toBe('01J0000000000000000000000A.42.member.with:odd-chars_1');
    expect(parseReturnId(returnIdOf(ref))).toEqual(ref);
    expect(parseReturnId('not-a-return')).toBeUndefined();
    expect(parseReturnId('01J0000000000000000000000A.x.member')).toBeUndefined();
  });

  it('caps returns at the configured share of the week, rounded down', () => {
    expect(weeklyReturnCap(10, DEFAULT_RETURN_SETTINGS)).toBe(2);
    expect(weeklyReturnCap(14, DEFAULT_RETURN_SETTINGS)).toBe(2);
    expect(weeklyReturnCap(4, DEFAULT_RETURN_SETTINGS)).toBe(0);
    expect(weeklyReturnCap(50, { windowDays: 7, maxPercentPerWeek: 100 })).toBe(50);
  });

  it('opens the window the configured days before now', () => {
    const now = new Date('2026-03-10T12:00:00.000Z');
    expect(windowStart(now, DEFAULT_RETURN_SETTINGS).toISOString()).toBe('2026-03-03T12:00:00.000Z');
  });

  it('counts as replacements no more than were owed, nor more than were delivered', () => {
    expect(replacementsDelivered(1, 11)).toBe(1);
    expect(replacementsDelivered(3, 2)).toBe(2);
    expect(replacementsDelivered(0, 5)).toBe(0);
  });

  it('wants a text with the reason other', () => {
    expect(ReturnRequestSchema.safeParse({ email: 'a@b.example', reason: 'other' }).success).toBe(false);
    expect(
      ReturnRequestSchema.safeParse({ email: 'a@b.example', reason: 'other', text: 'closed down' }).success,
    ).toBe(true);
    expect(ReturnRequestSchema.safeParse({ email: 'a@b.example', reason: 'spam' }).success).toBe(false);
  });

  it('takes only a missing mailbox or domain as a hard bounce', () => {
    expect(isHardBounce({ outcome: 'rejected', reason: 'invalid' })).toBe(true);
    expect(isHardBounce({ outcome: 'rejected', reason: 'invalid-domain' })).toBe(true);
    expect(isHardBounce({ outcome: 'rejected', reason: 'no-mx-records' })).toBe(true);
    expect(isHardBounce({ outcome: 'rejected', reason: 'disposable' })).toBe(false);
    expect(isHardBounce({ outcome: 'deliverable', reason: 'valid' })).toBe(false);
    expect(isHardBounce({ outcome: 'transient', reason: 'unknown-status' })).toBe(false);
    expect(isHardBounce(undefined)).toBe(false);
  });
});
