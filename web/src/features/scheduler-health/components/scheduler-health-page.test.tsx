// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, renderWithApi } from '@/testing/render';
import type { SchedulerHealth } from '../api/get-scheduler-health';
import { SchedulerHealthPage } from './scheduler-health-page';

const failing: SchedulerHealth = {
  verdict: 'failing',
  reasons: [
    "Schedule 'weekly' was due at 2026-12-01T09:00:00.000Z and no run of it has succeeded since",
    '2 message(s) in the ingest dead-letter queue',
  ],
  checkedAt: '2026-12-01T10:00:00.000Z',
  heartbeat: {
    lastRunId: 'r1',
    lastRunState: 'failed',
    lastRunTrigger: 'schedule',
    lastRunAt: '2026-11-24T09:00:00.000Z',
    ageSeconds: 604_800,
  },
  schedules: [
    {
      scheduleId: '01JABCDEFGHJKMNPQRSTVWXYZ0',
      name: 'weekly',
      enabled: true,
      sync: 'synced',
      lastDueAt: '2026-12-01T09:00:00.000Z',
      lastDueOutcome: 'not-started',
      overdue: true,
      nextFireAt: '2026-12-08T09:00:00.000Z',
    },
  ],
  overdueSchedules: 1,
  stuckUploads: 0,
  deadLetterQueues: [
    { name: 'ingest', depth: 2 },
    { name: 'scheduler', depth: 0 },
  ],
  runs: [],
  failures: [
    {
      runId: 'r1',
      trigger: 'schedule',
      startedAt: '2026-11-24T09:00:00.000Z',
      endedAt: '2026-11-24T09:01:00.000Z',
      error: 'the members table was unreachable',
    },
  ],
};

describe('the scheduler health page', () => {
  it('shows the verdict as a banner with the reasons worst first, the overdue schedule, failures and dead letters', async () => {
    renderWithApi(<SchedulerHealthPage />, {
      routes: { 'GET /admin/scheduler/health': () => json(200, failing) },
    });

    const verdict = await screen.findByRole('heading', { name: 'The scheduler is failing' });
    const banner = verdict.closest<HTMLElement>('[role="status"]');
    if (!banner) throw new Error('the verdict is not in a status banner');
    expect(
      within(banner)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(failing.reasons);
    expect(screen.getByText('7 d 0 h')).toBeTruthy(); // heartbeat age
    const overdueRow = screen.getByRole('link', { name: 'weekly' }).closest('tr');
    expect(overdueRow?.textContent).toContain('not started');
    expect(overdueRow?.textContent).toContain('overdue');
    expect(screen.getByText('the members table was unreachable')).toBeTruthy();
    const ingestQueue = screen.getByText('ingest').closest('tr');
    expect(ingestQueue?.textContent).toContain('2');
  });

  it("shows the API's message as it is when the health cannot be read", async () => {
    renderWithApi(<SchedulerHealthPage />, {
      routes: {
        'GET /admin/scheduler/health': () =>
          json(503, {
            error: 'ServiceUnavailable',
            message: 'The control table is unreachable; try again shortly',
          }),
      },
    });

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The control table is unreachable; try again shortly');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeTruthy();
  });

  it('says it is loading until the answer comes', () => {
    renderWithApi(<SchedulerHealthPage />, {
      routes: { 'GET /admin/scheduler/health': () => new Promise<Response>(() => {}) },
    });

    expect(screen.getByRole('status').textContent).toBe('Loading the scheduler health…');
  });
});
