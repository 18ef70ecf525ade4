import { Link } from 'wouter';
import { Badge, Page, Section } from '@/components/page';
import { ErrorMessage } from '@/components/states';
import { PagedTable } from '@/components/table';
import { useCursorPages } from '@/hooks/use-cursor-pages';
import { formatInstant } from '@/lib/format';
import { type Schedule, useSaveSchedule, useSchedulesPage } from '../api/schedules';
import { describeSchedule, scheduleFormFrom, scheduleInputFrom } from '../lib/schedule-form-values';
import { RunPanel } from './run-panel';

/** Enable or disable in place: the same schedule with `enabled` flipped. */
const EnableToggle = ({ schedule }: { schedule: Schedule }) => {
  const save = useSaveSchedule(schedule.id);
  return (
    <>
      <button
        type="button"
        className="button"
        disabled={save.isPending}
        aria-label={`${schedule.enabled ? 'Disable' : 'Enable'} ${schedule.name}`}
        onClick={() =>
          save.mutate(scheduleInputFrom({ ...scheduleFormFrom(schedule), enabled: !schedule.enabled }))
        }
      >
        {schedule.enabled ? 'Disable' : 'Enable'}
      </button>
      {save.isError && <ErrorMessage error={save.error} />}
    </>
  );
};

const ScheduleList = () => {
  const pages = useCursorPages();
  const page = useSchedulesPage(pages.cursor);
  return (
    <PagedTable
      query={page}
      what="schedules"
      pages={pages}
      rowsOf={(data) => data.schedules}
      empty={
        <>
          No schedule yet: distributions run only when someone presses Run now.{' '}
          <Link href="/schedules/new">Create a schedule</Link>.
        </>
      }
      columns={['Name', 'When', 'State', 'Next run', { label: 'Actions', hidden: true }]}
      renderRow={(schedule) => (
        <tr key={schedule.id}>
          <td>
            <Link href={`/schedules/${schedule.id}`}>{schedule.name}</Link>
          </td>
          <td>{describeSchedule(schedule)}</td>
          <td>
            <Badge state={schedule.enabled ? 'enabled' : 'disabled'} />{' '}
            {schedule.sync === 'pending' && <Badge state="pending" />}
          </td>
          <td>{schedule.enabled ? formatInstant(schedule.nextRuns[0]?.at) : '—'}</td>
          <td>
            <EnableToggle schedule={schedule} />
          </td>
        </tr>
      )}
    />
  );
};

export const SchedulesPage = () => (
  <Page
    title="Schedules"
    actions={
      <Link href="/schedules/new" className="button button-primary">
        New schedule
      </Link>
    }
  >
    <Section title="Schedules">
      <ScheduleList />
    </Section>
    <Section title="Run a distribution">
      <RunPanel />
    </Section>
  </Page>
);
