import { describe, expect, it } from 'vitest';
import { byCodeUnit } from './order';

describe('byCodeUnit', () => {
  it('orders by code unit as DynamoDB orders sort keys, not by a language: upper case before lower case', () => {
    expect(['b', 'a', 'Z', '2026-W09', '2026-W10', 'a'].sort(byCodeUnit)).toEqual([
      '2026-W09',
      '2026-W10',
      'Z',
      'a',
      'a',
      'b',
    ]);
    expect(byCodeUnit('x', 'x')).toBe(0);
  });
});
