import { Link } from 'wouter';
import { Badge, Page, Section } from '@/components/page';
import { Pager } from '@/components/pager';
import { Empty, ErrorMessage, QueryView } from '@/components/states';
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
    <QueryView query={page} what="schedules">
      {(data) =>
        data.schedules.length === 0 && !pages.hasPrevious ? (
          <Empty>
            No schedule yet: distributions run only when someone presses Run now.{' '}
            <Link href="/schedules/new">Create a schedule</Link>.
          </Empty>
        ) : (
          <>
            <div className="table-scroll">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">When</th>
                    <th scope="col">State</th>
                    <th scope="col">Next run</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.schedules.map((schedule) => (
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
                  ))}
                </tbody>
              </table>
            </div>
            <Pager pages={pages} nextCursor={data.nextCursor} />
          </>
        )
      }
    </QueryView>
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
