// @vitest-environment jsdom
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, renderWithApi } from '@/testing/render';
import { UploadsPage } from './uploads-page';

const counts = {
  rowsRead: 9,
  accepted: 7,
  duplicateInFile: 1,
  duplicateOfEarlier: 0,
  rejected: 1,
  verificationPending: 0,
  deliverable: 6,
  undeliverable: 1,
  assigned: 0,
};

describe('the uploads page', () => {
  it('invites a first upload when there is none', async () => {
    renderWithApi(<UploadsPage />, {
      routes: { 'GET /admin/uploads': () => json(200, { uploads: [], nextCursor: null }) },
    });

    expect((await screen.findByText(/No file has been uploaded yet/)).textContent).toContain(
      'Drop a CSV above',
    );
    expect(screen.getByRole('button', { name: 'Choose CSV files' })).toBeTruthy();
  });

  it('lists uploads with their state and counts, and pages on with the cursor the API gave', async () => {
    const { requests } = renderWithApi(<UploadsPage />, {
      routes: {
        'GET /admin/uploads': () =>
          json(200, {
            uploads: [
              {
                uploadId: '01JUPLOAD00000000000000000',
                fileName: 'week-49.csv',
                state: 'queued',
                uploadedBy: 'admin-1',
                createdAt: '2026-12-04T10:00:00.000Z',
                updatedAt: '2026-12-04T10:01:00.000Z',
                sizeBytes: 1234,
                counts,
              },
            ],
            nextCursor: 'next-page',
          }),
      },
    });

    const row = (await screen.findByRole('link', { name: 'week-49.csv' })).closest('tr');
    expect(row?.textContent).toContain('queued');
    expect([...(row?.querySelectorAll('td.number') ?? [])].map((cell) => cell.textContent)).toEqual([
      '9',
      '7',
      '1',
      '1',
      '6',
    ]);
    screen.getByRole('button', { name: 'Next' }).click();
    await screen.findByText('Page 2');
    expect(new URL(requests.at(-1)?.url ?? '').searchParams.get('cursor')).toBe('next-page');
  });
});
