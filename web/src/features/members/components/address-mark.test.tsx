// @vitest-environment jsdom
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, renderWithApi } from '@/testing/render';
import type { Member } from '../api/members';
import { AddressMarkBadge, AddressMarkPanel } from './address-mark';

const member: Member = {
  id: 'm-1',
  email: 'ada@example.com',
  name: 'Ada',
  tier: 'pro',
  subscriptionStatus: 'active',
  subscriptionEndsAt: null,
  subscriptionStartedAt: null,
  weeklyQuotaOverride: null,
  weeklyQuota: 50,
  eligible: true,
  version: 3,
  updatedAt: '2026-12-01T00:00:00.000Z',
  addressMark: { reason: 'hard-bounce', at: '2026-12-02T08:00:00.000Z' },
  softBounces: 1,
};

describe("a member's marked address", () => {
  it('says the member is not emailed and why, and clears the mark on request', async () => {
    const { requests } = renderWithApi(<AddressMarkPanel member={member} />, {
      routes: {
        'DELETE /admin/members/m-1/address-mark': () =>
          json(200, { outcome: 'updated', member: { ...member, addressMark: null, softBounces: 0 } }),
      },
    });
    expect(screen.getByText('hard bounce')).toBeTruthy();
    expect(screen.getByText(/bounced permanently/)).toBeTruthy();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Email this address again' }));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]?.method).toBe('DELETE');
  });

  it('offers nothing to clear for an address that is mailed, and the list says so', () => {
    renderWithApi(
      <>
        <AddressMarkPanel member={{ ...member, addressMark: null }} />
        <AddressMarkBadge member={{ ...member, addressMark: null }} />
      </>,
      { routes: {} },
    );
    expect(screen.queryByRole('button')).toBeNull();
    expect(screen.getByText('mailed')).toBeTruthy();
  });
});
