// @vitest-environment jsdom
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, renderWithApi } from '@/testing/render';
import type { Suppression } from '../api/suppression';
import { SuppressionPage } from './suppression-page';

const domainEntry: Suppression = {
  id: 'domain:competitor.example',
  kind: 'domain',
  domain: 'competitor.example',
  source: 'admin',
  addedBy: 'admin-1',
  addedAt: '2026-12-01T09:00:00.000Z',
};
const addressEntry: Suppression = { ...domainEntry, id: 'email:ab12', kind: 'email', domain: null };

describe('the suppression page', () => {
  it('lists entries without showing an address, and shows each refused import row with its reason', async () => {
    const { requests } = renderWithApi(<SuppressionPage />, {
      routes: {
        'GET /admin/suppressions': () =>
          json(200, { suppressions: [domainEntry, addressEntry], nextCursor: null }),
        'GET /admin/erasures': () => json(200, { erasures: [], nextCursor: null }),
        'POST /admin/suppressions/import': () =>
          json(200, {
            received: 2,
            added: 1,
            alreadyListed: 0,
            refused: [{ row: 3, reason: 'domain is not valid' }],
          }),
      },
    });
    expect(await screen.findByText('competitor.example')).toBeTruthy();
    expect(screen.getByText('an address (kept only as its keyed hash)')).toBeTruthy();

    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/Entries to suppress/), 'domain\nok.example\nnot a domain');
    await user.click(screen.getByRole('button', { name: 'Import' }));

    expect(await screen.findByText('domain is not valid')).toBeTruthy();
    const sent = requests.find((request) => request.url.endsWith('/admin/suppressions/import'));
    expect(sent?.headers.get('content-type')).toBe('text/csv');
    expect(await sent?.text()).toBe('domain\nok.example\nnot a domain');
  });

  it('erases a person by email and shows what was touched', async () => {
    renderWithApi(<SuppressionPage />, {
      routes: {
        'GET /admin/suppressions': () => json(200, { suppressions: [], nextCursor: null }),
        'GET /admin/erasures': () => json(200, { erasures: [], nextCursor: null }),
        'POST /admin/erasures': () =>
          json(201, {
            erasureId: '01J0000000000000000000000E',
            requestedBy: 'admin-1',
            requestedAt: '2026-12-02T09:00:00.000Z',
            touched: { leads: 1, assignments: 2, files: 3, filesSkipped: 0 },
          }),
      },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Email of the person to erase'), 'someone@example.com');
    await user.click(screen.getByRole('button', { name: 'Erase' }));
    expect(await screen.findByText(/3 files rewritten/)).toBeTruthy();
  });
});
