import { useLocation } from 'wouter';
import { Page, Section } from '@/components/page';
import { ErrorMessage, QueryView } from '@/components/states';
import { type Schedule, useDeleteSchedule, useSaveSchedule, useSchedule } from '../api/schedules';
import {
  describeSchedule,
  emptyScheduleForm,
  scheduleFormFrom,
  scheduleInputFrom,
} from '../lib/schedule-form-values';
import { ScheduleForm } from './schedule-form';
import { ScheduleRuns } from './schedule-runs';

const NewSchedule = () => {
  const [, navigate] = useLocation();
  const save = useSaveSchedule(undefined);
  return (
    <Page title="New schedule">
      <Section title="When to run">
        <ScheduleForm
          initial={emptyScheduleForm()}
          submitLabel="Create schedule"
          saving={save.isPending}
          error={save.error}
          onSubmit={(values) =>
            save.mutate(scheduleInputFrom(values), {
              onSuccess: (result) => navigate(`/schedules/${result.schedule.id}`),
            })
          }
        />
      </Section>
    </Page>
  );
};

const EditSchedule = ({ schedule }: { schedule: Schedule }) => {
  const [, navigate] = useLocation();
  const save = useSaveSchedule(schedule.id);
  const remove = useDeleteSchedule();
  return (
    <Page
      title={schedule.name}
      actions={
        <button
          type="button"
          className="button button-danger"
          disabled={remove.isPending}
          onClick={() => {
            if (
              window.confirm(`Delete the schedule "${schedule.name}"? Runs it started stay in the history.`)
            )
              remove.mutate(schedule.id, { onSuccess: () => navigate('/schedules') });
          }}
        >
          Delete
        </button>
      }
    >
      {remove.isError && <ErrorMessage error={remove.error} />}
      <p className="muted">{describeSchedule(schedule)}</p>
      <Section title="Upcoming">
        <ScheduleRuns schedule={schedule} />
      </Section>
      <Section title="Change">
        {save.isSuccess && (
          <p className="notice notice-good" role="status">
            Saved.
          </p>
        )}
        <ScheduleForm
          key={schedule.updatedAt}
          initial={scheduleFormFrom(schedule)}
          submitLabel="Save changes"
          saving={save.isPending}
          error={save.error}
          onSubmit={(values) => save.mutate(scheduleInputFrom(values))}
        />
      </Section>
    </Page>
  );
};

export const ScheduleEditPage = ({ id }: { id?: string }) => {
  if (!id) return <NewSchedule />;
  return <LoadedSchedule id={id} />;
};

const LoadedSchedule = ({ id }: { id: string }) => {
  const schedule = useSchedule(id);
  if (schedule.isSuccess) return <EditSchedule schedule={schedule.data.schedule} />;
  return (
    <Page title="Schedule">
      <QueryView query={schedule} what="the schedule">
        {() => null}
      </QueryView>
    </Page>
  );
};
