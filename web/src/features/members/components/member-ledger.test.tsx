// @vitest-environment jsdom
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, renderWithApi } from '@/testing/render';
import type { MemberLedger } from '../api/members';
import { MemberLedgerTable } from './member-ledger';

const ledger: MemberLedger = {
  memberId: 'm-1',
  timeZone: 'UTC',
  notOwed: null,
  weeks: [
    {
      weekKey: '2026-W49',
      quota: 10,
      accruedFrom: '2026-11-30T00:00:00.000Z',
      accruedThrough: '2026-12-07T00:00:00.000Z',
      accrued: 10,
      carriedIn: 6,
      owed: 16,
      received: 16,
      runs: [{ runId: '01JRUNAAAAAAAAAAAAAAAAAAAA', received: 16 }],
      short: 0,
      shortReason: null,
    },
    {
      weekKey: '2026-W48',
      quota: 10,
      accruedFrom: '2026-11-23T00:00:00.000Z',
      accruedThrough: '2026-11-30T00:00:00.000Z',
      accrued: 10,
      carriedIn: 0,
      owed: 10,
      received: 4,
      runs: [{ runId: '01JRUNBBBBBBBBBBBBBBBBBBBB', received: 4 }],
      short: 6,
      shortReason: 'supply_short',
    },
  ],
  totals: { accrued: 20, received: 20 },
};

describe("a member's ledger", () => {
  it('shows each week: accrued, carried over, owed, received by run, and what was short and why', async () => {
    const { requests } = renderWithApi(<MemberLedgerTable memberId="m-1" />, {
      routes: { 'GET /admin/members/m-1/ledger': () => json(200, ledger) },
    });

    const rows = (await screen.findByRole('table')).querySelectorAll('tbody tr');
    expect([...rows].map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent))).toEqual([
      ['2026-W49', '10', '6', '16', '16', 'AAAAAAAA ×16', '—'],
      ['2026-W48', '10', '0', '10', '4', 'BBBBBBBB ×4', '6 (supply short)'],
    ]);
    expect(rows[1]?.className).toBe('row-short');
    expect(new URL(requests[0]?.url ?? '').searchParams.get('weeks')).toBe('12');
  });

  it('says so when no run has counted the member yet', async () => {
    renderWithApi(<MemberLedgerTable memberId="m-1" />, {
      routes: { 'GET /admin/members/m-1/ledger': () => json(200, { ...ledger, weeks: [] }) },
    });

    expect(await screen.findByText('No run has counted this member yet.')).toBeTruthy();
  });
});
