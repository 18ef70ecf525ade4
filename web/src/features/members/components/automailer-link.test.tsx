// @vitest-environment jsdom
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, renderWithApi } from '@/testing/render';
import type { AutomailerLink } from '../api/members';
import { AutomailerLinkPanel } from './automailer-link';

const linked: AutomailerLink = {
  memberId: 'm-1',
  linked: true,
  link: {
    clientId: 'automailer',
    linkedAt: '2026-12-01T09:00:00.000Z',
    lastHandoffAt: '2026-12-03T09:00:00.000Z',
    lastReadAt: '2026-12-03T09:05:00.000Z',
    readCount: 4,
  },
};

describe("a member's AutoMailer link", () => {
  it('shows the reads and revokes the link, then shows the member as not linked', async () => {
    let current: AutomailerLink = linked;
    const { requests } = renderWithApi(<AutomailerLinkPanel memberId="m-1" />, {
      routes: {
        'GET /admin/members/m-1/automailer-link': () => json(200, current),
        'DELETE /admin/members/m-1/automailer-link': () => {
          current = { memberId: 'm-1', linked: false, link: null };
          return new Response(null, { status: 204 });
        },
      },
    });
    expect(await screen.findByText('4')).toBeTruthy();
    await userEvent.setup().click(screen.getByRole('button', { name: "Revoke AutoMailer's access" }));
    expect(await screen.findByText(/Not linked/)).toBeTruthy();
    expect(requests.map((request) => request.method)).toEqual(['GET', 'DELETE', 'GET']);
  });

  it("shows the API's message when the member is unknown", async () => {
    renderWithApi(<AutomailerLinkPanel memberId="m-1" />, {
      routes: {
        'GET /admin/members/m-1/automailer-link': () =>
          json(404, { error: 'NotFound', message: 'No member m-1' }),
      },
    });
    expect(await screen.findByText(/No member m-1/)).toBeTruthy();
  });
});
