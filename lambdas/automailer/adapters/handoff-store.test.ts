import { describe, expect, it } from 'vitest';
import { consumeHandoffCodeUpdate } from './handoff-store';

const later = (ms: number) => new Date(new Date('2025-03-10T12:00:00.000Z').getTime() + ms);

describe('consumeHandoffCodeUpdate', () => {
  it('marks the code used only if it exists, is unused, unexpired and bound to the client', () => {
    const update = consumeHandoffCodeUpdate({ clientId: 'automailer', now: later(2_000) });

    expect(update.ConditionExpression).toBe(
      'attribute_exists(#codeHash) AND attribute_not_exists(#usedAt) AND #validUntil > :now AND #clientId = :clientId',
    );
    expect(update.UpdateExpression).toBe('SET #usedAt = :now');
    expect(update.ExpressionAttributeValues).toEqual({
      ':now': later(2_000).getTime(),
      ':clientId': 'automailer',
    });
  });
});
