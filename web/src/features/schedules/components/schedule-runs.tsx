import { Empty } from '@/components/states';
import { DataTable } from '@/components/table';
import { formatInstant } from '@/lib/format';
import type { Schedule } from '../api/schedules';

const DST_TEXT = {
  skipped: 'the clocks jump past this time that day, so Scheduler skips that run',
  'repeated-time-runs-once': 'the clocks go back and this time happens twice; the run happens once',
} as const;

/** The next runs the API computed, in the schedule's zone and the admin's, with its daylight-saving notes. */
export const ScheduleRuns = ({ schedule }: { schedule: Schedule }) => (
  <>
    {schedule.nextRuns.length === 0 ? (
      <Empty>No upcoming run{schedule.enabled ? '' : ': the schedule is disabled'}.</Empty>
    ) : (
      <DataTable compact caption="Next runs" columns={[`In ${schedule.timeZone}`, 'In your time']}>
        {schedule.nextRuns.map((run) => (
          <tr key={run.at}>
            <td>{run.local}</td>
            <td>{formatInstant(run.at)}</td>
          </tr>
        ))}
      </DataTable>
    )}
    {schedule.dstNotices.length > 0 && (
      <ul className="notice notice-warn" aria-label="Daylight-saving notes">
        {schedule.dstNotices.map((notice) => (
          <li key={notice.date}>
            {notice.date}: {DST_TEXT[notice.kind]}.
          </li>
        ))}
      </ul>
    )}
    {schedule.sync === 'pending' && (
      <p className="notice notice-warn">
        Saved, but EventBridge Scheduler is not updated yet
        {schedule.syncError ? ` (${schedule.syncError})` : ''}; it is retried on the next read.
      </p>
    )}
  </>
);
