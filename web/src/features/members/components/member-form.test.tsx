// @vitest-environment jsdom
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, renderWithApi } from '@/testing/render';
import type { Member } from '../api/members';
import { MemberForm } from './member-form';

const member: Member = {
  id: 'm-1',
  email: 'ada@example.com',
  name: 'Ada',
  tier: 'pro',
  subscriptionStatus: 'active',
  subscriptionEndsAt: null,
  subscriptionStartedAt: '2026-11-04T12:00:00.000Z',
  weeklyQuotaOverride: null,
  weeklyQuota: 50,
  eligible: true,
  version: 3,
  updatedAt: '2026-12-01T00:00:00.000Z',
  addressMark: null,
  softBounces: 0,
};

describe("editing a member's settings", () => {
  it('sends the whole member with the changed tier, subscription and quota override, keeping when the subscription began', async () => {
    const { requests } = renderWithApi(<MemberForm member={member} />, {
      routes: {
        'PUT /admin/members/m-1': () =>
          json(200, { outcome: 'updated', member: { ...member, tier: 'elite' } }),
      },
    });
    const user = userEvent.setup();
    await user.clear(screen.getByLabelText('Tier'));
    await user.type(screen.getByLabelText('Tier'), 'elite');
    await user.selectOptions(screen.getByLabelText('Subscription'), 'past_due');
    await user.type(screen.getByLabelText('Weekly quota override'), '0');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect((await screen.findByRole('status')).textContent).toBe('Saved.');
    expect(await requests[0]?.json()).toEqual({
      email: 'ada@example.com',
      name: 'Ada',
      subscriptionStartedAt: '2026-11-04T12:00:00.000Z',
      tier: 'elite',
      subscriptionStatus: 'past_due',
      subscriptionEndsAt: null,
      weeklyQuotaOverride: 0,
    });
  });

  it("puts the API's reason under the field it refused", async () => {
    renderWithApi(<MemberForm member={member} />, {
      routes: {
        'PUT /admin/members/m-1': () =>
          json(400, {
            error: 'BadRequest',
            message:
              "Invalid body: tier: 'gold' is not a configured tier (known: starter, growth, pro, elite)",
            details: [
              {
                path: 'tier',
                message: "'gold' is not a configured tier (known: starter, growth, pro, elite)",
              },
            ],
          }),
      },
    });
    const user = userEvent.setup();
    await user.clear(screen.getByLabelText('Tier'));
    await user.type(screen.getByLabelText('Tier'), 'gold');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await screen.findByText("'gold' is not a configured tier (known: starter, growth, pro, elite)");
    expect(screen.getByLabelText('Tier').getAttribute('aria-invalid')).toBe('true');
  });
});
