// @vitest-environment jsdom
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, renderWithApi } from '@/testing/render';
import type { LeadReturn } from '../api/returns';
import { ReturnsPage } from './returns-page';

const pending: LeadReturn = {
  returnId: '01J0000000000000000000000A.7.m-1',
  memberId: 'm-1',
  uploadId: '01J0000000000000000000000A',
  row: 7,
  assignedAt: '2026-12-01T09:00:00.000Z',
  weekKey: '2026-W49',
  reason: 'other',
  text: 'The company closed',
  state: 'pending',
  createdAt: '2026-12-02T09:00:00.000Z',
};

describe('the returns queue', () => {
  it('refuses a return only with a note, and sends the note', async () => {
    let queue: LeadReturn[] = [pending];
    const { requests } = renderWithApi(<ReturnsPage />, {
      routes: {
        'GET /admin/returns': () => json(200, { returns: queue, nextCursor: null }),
        [`POST /admin/returns/${pending.returnId}/refuse`]: async (request) => {
          const body = (await request.json()) as { note: string };
          queue = [];
          return json(200, { ...pending, state: 'refused', note: body.note, decidedBy: 'admin-1' });
        },
      },
    });
    expect(await screen.findByText(/The company closed/)).toBeTruthy();
    const refuse = screen.getByRole('button', { name: 'Refuse' }) as HTMLButtonElement;
    expect(refuse.disabled).toBe(true);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Note on the return of row 7'), 'It was right when delivered');
    await user.click(refuse);
    expect(await screen.findByText('No pending returns.')).toBeTruthy();
    const decision = requests.find((request) => request.method === 'POST');
    expect(await decision?.json()).toEqual({ note: 'It was right when delivered' });
  });
});
