import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../shared/errors';
import { counterDeltas } from './domain/member-record';
import { DEFAULT_TIERS } from './domain/tiers';
import { MAX_IMPORT_ROWS, parseMemberImport } from './member-import';

const member = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  email: `${id}@members.example`,
  name: `Member ${id}`,
  tier: 'growth',
  subscriptionStatus: 'active',
  ...overrides,
});

describe('parseMemberImport', () => {
  it('reads a JSON array, normalising emails and dates', () => {
    const parsed = parseMemberImport(
      JSON.stringify([
        member('a', { email: ' A@Members.Example ', subscriptionEndsAt: '2027-01-01T01:00:00+01:00' }),
      ]),
      'application/json',
      DEFAULT_TIERS,
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual([
      {
        row: 1,
        memberId: 'a',
        input: expect.objectContaining({
          email: 'a@members.example',
          subscriptionEndsAt: '2027-01-01T00:00:00.000Z',
        }),
      },
    ]);
  });

  it('reads { members: [...] } and reports every bad record with its row, field and reason', () => {
    const parsed = parseMemberImport(
      JSON.stringify({
        members: [
          member('a'),
          'not an object',
          member('b', { tier: 'gold', email: 'nope' }),
          member('bad id!'),
          member('a'),
          member('c', { weeklyQuotaOverride: 2.5, extra: 1 }),
        ],
      }),
      undefined,
      DEFAULT_TIERS,
    );
    expect(parsed.rows.map((row) => row.memberId)).toEqual(['a']);
    expect(parsed.received).toBe(6);
    expect(parsed.errors).toEqual([
      { row: 2, message: 'must be an object of member fields' },
      { row: 3, memberId: 'b', field: 'email', message: 'must be an email address' },
      {
        row: 3,
        memberId: 'b',
        field: 'tier',
        message: "'gold' is not a configured tier (known: starter, growth, pro, elite)",
      },
      { row: 4, field: 'id', message: 'must be 1-64 letters, digits or . _ : -' },
      {
        row: 5,
        memberId: 'a',
        field: 'id',
        message: 'member a already appears at row 1 of this import; not applied twice',
      },
      {
        row: 6,
        memberId: 'c',
        field: 'weeklyQuotaOverride',
        message: 'must be a whole number of leads per week, 0-10000 (0 pauses the member)',
      },
      { row: 6, memberId: 'c', field: 'extra', message: 'is not a member field' },
    ]);
  });

  it('reads a CSV by its header names, with a BOM, quotes and CRLF, numbering rows by line', () => {
    const csv =
      '\ufeffid,EMAIL,name,tier,subscription_status,weekly_quota_override\r\n' +
      'a,a@members.example,"Smith, Ann",pro,active,7\r\n' +
      '\r\n' +
      'b,b@members.example,Bob,starter,canceled,\r\n' +
      'c,c@members.example\r\n';
    const parsed = parseMemberImport(csv, 'text/csv', DEFAULT_TIERS);
    expect(parsed.rows).toEqual([
      {
        row: 2,
        memberId: 'a',
        input: expect.objectContaining({ name: 'Smith, Ann', weeklyQuotaOverride: 7 }),
      },
      { row: 4, memberId: 'b', input: expect.objectContaining({ subscriptionStatus: 'canceled' }) },
    ]);
    expect(parsed.errors).toEqual([{ row: 5, message: 'has 2 columns; the header has 6' }]);
  });

  it.each([
    ['bad JSON', '{"members": [', 'application/json', 'not valid JSON'],
    ['a JSON object without members', '{"a": 1}', 'application/json', 'array of members'],
    ['an empty list', '[]', 'application/json', 'holds no members'],
    ['a CSV header with an unknown column', 'id,email,shoe\n1,a@b.example,9', 'text/csv', 'unknown: shoe'],
    ['a CSV without an id column', 'email,name\na@b.example,A', 'text/csv', 'must name the columns id'],
    ['an unterminated CSV quote', 'id,name\n1,"open', 'text/csv', 'cannot be read'],
    ['an empty CSV', '', 'text/csv', 'empty'],
  ])('refuses %s as a whole (400)', (_, body, contentType, message) => {
    expect(() => parseMemberImport(body, contentType, DEFAULT_TIERS)).toThrow(BadRequestError);
    expect(() => parseMemberImport(body, contentType, DEFAULT_TIERS)).toThrow(message);
  });

  it(`refuses more than ${MAX_IMPORT_ROWS} rows, in JSON and in CSV, before any member is written`, () => {
    const many = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, index) => member(`m${index}`));
    expect(() => parseMemberImport(JSON.stringify(many), 'application/json', DEFAULT_TIERS)).toThrow(
      'at most 1000',
    );
    const csv = [
      'id,email,name,tier,subscriptionStatus',
      ...many.map((m) => `${m.id},${m.email},x,growth,active`),
    ].join('\n');
    expect(() => parseMemberImport(csv, 'text/csv', DEFAULT_TIERS)).toThrow('at most 1000');
  });
});

describe('counterDeltas', () => {
  const counted = (eligible: boolean, tier: string, weeklyQuota: number) => ({ eligible, tier, weeklyQuota });

  it('counts a new eligible member once, in its tier and in the weekly demand', () => {
    expect(counterDeltas(undefined, counted(true, 'pro', 50))).toEqual({
      eligibleMembers: 1,
      'eligibleMembers#pro': 1,
      weeklyDemand: 50,
    });
  });

  it('moves a member between tiers without changing the member count', () => {
    expect(counterDeltas(counted(true, 'pro', 50), counted(true, 'elite', 100))).toEqual({
      'eligibleMembers#pro': -1,
      'eligibleMembers#elite': 1,
      weeklyDemand: 50,
    });
  });

  it('takes a member who lost eligibility off every counter, and changes nothing for an ineligible one', () => {
    expect(counterDeltas(counted(true, 'starter', 10), counted(false, 'starter', 10))).toEqual({
      eligibleMembers: -1,
      'eligibleMembers#starter': -1,
      weeklyDemand: -10,
    });
    expect(counterDeltas(counted(false, 'starter', 10), counted(false, 'elite', 100))).toEqual({});
  });
});
