// @vitest-environment jsdom
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, renderWithApi } from '@/testing/render';
import { MemberImport } from './member-import';

const CSV = 'id,email,name,tier,subscriptionStatus\nm-1,a@example.com,A,pro,active\nm-2,nope,B,pro,active';

describe('importing members', () => {
  it('sends the CSV as it is and lists every refused row with its number and reason', async () => {
    const { requests } = renderWithApi(<MemberImport />, {
      routes: {
        'POST /admin/members/import': () =>
          json(200, {
            received: 2,
            created: 1,
            updated: 0,
            unchanged: 0,
            failed: 1,
            errors: [{ row: 3, memberId: 'm-2', field: 'email', message: 'must be an email address' }],
          }),
      },
    });
    const user = userEvent.setup();
    await user.click(screen.getByLabelText('Members to import'));
    await user.paste(CSV);
    await user.click(screen.getByRole('button', { name: 'Import' }));

    const refused = await screen.findByRole('table', { name: 'Refused rows' });
    expect(refused.querySelector('tbody tr')?.textContent).toBe('3m-2emailmust be an email address');
    expect(screen.getByRole('status').textContent).toContain(
      '2 rows: 1 created, 0 updated, 0 unchanged, 1 refused',
    );
    expect(requests[0]?.headers.get('Content-Type')).toBe('text/csv');
    expect(await requests[0]?.text()).toBe(CSV);
  });

  it('sends pasted JSON as JSON', async () => {
    const { requests } = renderWithApi(<MemberImport />, {
      routes: {
        'POST /admin/members/import': () =>
          json(200, { received: 0, created: 0, updated: 0, unchanged: 0, failed: 0, errors: [] }),
      },
    });
    const user = userEvent.setup();
    await user.click(screen.getByLabelText('Members to import'));
    await user.paste('[]');
    await user.click(screen.getByRole('button', { name: 'Import' }));

    await screen.findByRole('status');
    expect(requests[0]?.headers.get('Content-Type')).toBe('application/json');
  });
});
