// @vitest-environment jsdom
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, renderWithApi } from '@/testing/render';
import type { Schedule } from '../api/schedules';
import { ScheduleEditPage } from './schedule-edit-page';

const created: Schedule = {
  id: '01JABCDEFGHJKMNPQRSTVWXYZ0',
  name: 'weekly-top-up',
  kind: 'weekly',
  dayOfWeek: 'WED',
  time: '07:30',
  timeZone: 'Europe/Berlin',
  enabled: true,
  expression: 'cron(30 7 ? * WED *)',
  sync: 'synced',
  nextRuns: [{ at: '2026-12-09T06:30:00.000Z', local: '2026-12-09T07:30:00+01:00' }],
  dstNotices: [{ date: '2027-03-28', kind: 'skipped' }],
  createdAt: '2026-12-04T10:00:00.000Z',
  updatedAt: '2026-12-04T10:00:00.000Z',
};

describe('creating a schedule', () => {
  it("shows the API's field error under the field it names, and marks the field invalid", async () => {
    renderWithApi(<ScheduleEditPage />, {
      path: '/schedules/new',
      routes: {
        'POST /admin/schedules': () =>
          json(400, {
            error: 'BadRequest',
            message: 'Invalid schedule: dayOfMonth: must be 1-28, got 31',
            details: [{ path: 'dayOfMonth', message: 'must be 1-28, got 31' }],
          }),
      },
    });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Name'), 'monthly');
    await user.selectOptions(screen.getByLabelText('Repeats'), 'monthly');
    await user.clear(screen.getByLabelText('Day of the month'));
    await user.type(screen.getByLabelText('Day of the month'), '31');
    await user.click(screen.getByRole('button', { name: 'Create schedule' }));

    const error = await screen.findByText('must be 1-28, got 31');
    const day = screen.getByLabelText('Day of the month');
    expect(day.getAttribute('aria-invalid')).toBe('true');
    expect(day.getAttribute('aria-describedby')).toContain(error.id);
    expect(screen.getByRole('alert').textContent).toContain(
      'Invalid schedule: dayOfMonth: must be 1-28, got 31',
    );
  });

  it('sends only the fields of the chosen kind, in the chosen zone, and opens the new schedule', async () => {
    const { requests, history } = renderWithApi(<ScheduleEditPage />, {
      path: '/schedules/new',
      routes: { 'POST /admin/schedules': () => json(201, { schedule: created }) },
    });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Name'), 'weekly-top-up');
    await user.selectOptions(screen.getByLabelText('Day of the week'), 'WED');
    await user.clear(screen.getByLabelText('Time'));
    await user.type(screen.getByLabelText('Time'), '07:30');
    await user.selectOptions(screen.getByLabelText('Time zone'), 'Europe/Berlin');
    await user.click(screen.getByRole('button', { name: 'Create schedule' }));

    await screen.findByRole('button', { name: 'Create schedule' });
    expect(await requests[0]?.json()).toEqual({
      name: 'weekly-top-up',
      kind: 'weekly',
      dayOfWeek: 'WED',
      time: '07:30',
      timeZone: 'Europe/Berlin',
      enabled: true,
    });
    await expect.poll(() => history.at(-1)).toBe(`/schedules/${created.id}`);
  });
});

describe('an existing schedule', () => {
  it('shows its next runs and the daylight-saving notes the API gives', async () => {
    renderWithApi(<ScheduleEditPage id={created.id} />, {
      routes: { [`GET /admin/schedules/${created.id}`]: () => json(200, { schedule: created }) },
    });

    await screen.findByRole('heading', { level: 1, name: 'weekly-top-up' });
    expect(screen.getByText('2026-12-09T07:30:00+01:00')).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Daylight-saving notes' }).textContent).toContain(
      '2027-03-28: the clocks jump past this time that day, so Scheduler skips that run',
    );
  });
});
