// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, renderWithApi } from '@/testing/render';
import type { DryRunPlan } from '../api/schedules';
import { RunPanel } from './run-panel';

const plan: DryRunPlan = {
  dryRun: true,
  weekKey: '2026-W49',
  timeZone: 'Europe/Berlin',
  eligibleMembers: 2,
  totals: { need: 60, assigned: 55, shortfall: 5 },
  members: [
    {
      memberId: 'm-pro',
      tier: 'pro',
      receivedThisWeek: 0,
      accrued: 40,
      carriedIn: 10,
      owed: 50,
      planned: 45,
      shortfall: 5,
      fromUploads: [
        { uploadId: '01JUPLOADAAAAAAAAAAAAAAAAA', count: 30 },
        { uploadId: '01JUPLOADBBBBBBBBBBBBBBBBB', count: 15 },
      ],
    },
    {
      memberId: 'm-starter',
      tier: 'starter',
      receivedThisWeek: 0,
      accrued: 10,
      carriedIn: 0,
      owed: 10,
      planned: 10,
      shortfall: 0,
      fromUploads: [],
    },
  ],
  shortMembers: [{ memberId: 'm-pro', tier: 'pro', owed: 50, planned: 45 }],
  uploads: [],
  exhaustedUploads: [],
};

describe('a dry run', () => {
  it('shows the plan as a table: member, tier, owed, planned, accrued + carried over, from which uploads, and who falls short', async () => {
    const { requests } = renderWithApi(<RunPanel />, {
      routes: { 'POST /admin/distributions': () => json(200, plan) },
    });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Dry run' }));

    const table = await screen.findByRole('region', { name: 'Dry-run plan' });
    expect(await requests[0]?.json()).toEqual({ dryRun: true });
    expect(table.textContent).toContain(
      '55 would be assigned, 5 short (1 member falls short). Nothing was written.',
    );
    const short = within(table).getByRole('link', { name: 'm-pro' }).closest('tr');
    expect(short?.className).toBe('row-short');
    expect([...(short?.querySelectorAll('td') ?? [])].map((cell) => cell.textContent)).toEqual([
      'm-pro',
      'pro',
      '50',
      '45',
      '40 + 10',
      'AAAAAAAA ×30, BBBBBBBB ×15',
      '5',
    ]);
  });
});
