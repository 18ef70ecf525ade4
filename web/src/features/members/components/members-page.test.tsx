// @vitest-environment jsdom
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, renderWithApi } from '@/testing/render';
import { MembersPage } from './members-page';

const overview = {
  members: { eligible: 3, eligibleByTier: { starter: 2, growth: 0, pro: 1, elite: 0 } },
};

describe('the member list', () => {
  it('offers the configured tiers and asks the API for the chosen tier and eligibility', async () => {
    const { requests } = renderWithApi(<MembersPage />, {
      routes: {
        // Only the tier list is read from the overview here.
        'GET /admin/overview': () => json(200, overview),
        'GET /admin/members': () => json(200, { members: [], nextCursor: null }),
      },
    });
    const user = userEvent.setup();
    await screen.findByRole('option', { name: 'elite' });
    await user.selectOptions(screen.getByLabelText('Tier'), 'growth');
    await user.selectOptions(screen.getByLabelText('Eligibility'), 'false');
    await screen.findByText(/No member/i);
    const last = requests.filter((request) => new URL(request.url).pathname === '/admin/members').at(-1);
    const query = new URL(last?.url ?? 'http://x').searchParams;
    expect(query.get('tier')).toBe('growth');
    expect(query.get('eligible')).toBe('false');
  });
});
