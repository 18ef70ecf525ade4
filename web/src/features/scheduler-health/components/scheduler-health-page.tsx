import { Link } from 'wouter';
import { Badge, Figure, Figures, Page, Section } from '@/components/page';
import { Empty, QueryView } from '@/components/states';
import { DataTable } from '@/components/table';
import { formatAge, formatCount, formatInstant } from '@/lib/format';
import { type SchedulerHealth, useSchedulerHealth } from '../api/get-scheduler-health';

const VERDICT_TEXT: Record<SchedulerHealth['verdict'], string> = {
  healthy: 'The scheduler is healthy',
  degraded: 'The scheduler is degraded',
  failing: 'The scheduler is failing',
};

/** The verdict first, in words and colour, with the API's reasons in its order (worst first). */
export const VerdictBanner = ({ health }: { health: SchedulerHealth }) => (
  <div className={`banner banner-${health.verdict}`} role="status" data-verdict={health.verdict}>
    <h2>{VERDICT_TEXT[health.verdict]}</h2>
    {health.reasons.length > 0 ? (
      <ol>
        {health.reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ol>
    ) : (
      <p>Every schedule ran when it was due, and no dead-letter queue holds a message.</p>
    )}
    <p className="muted">Checked {formatInstant(health.checkedAt)}</p>
  </div>
);

const Heartbeat = ({ heartbeat }: { heartbeat: SchedulerHealth['heartbeat'] }) =>
  heartbeat === null ? (
    <Empty>No run has ended yet, so there is no heartbeat.</Empty>
  ) : (
    <Figures>
      <Figure label="Heartbeat age" value={formatAge(heartbeat.ageSeconds)} />
      <Figure label="Last run" value={formatInstant(heartbeat.lastRunAt)} hint={heartbeat.lastRunState} />
      <Figure label="Last success" value={formatInstant(heartbeat.lastSuccessAt)} />
    </Figures>
  );

const Schedules = ({ schedules }: { schedules: SchedulerHealth['schedules'] }) =>
  schedules.length === 0 ? (
    <Empty>
      No schedule yet. <Link href="/schedules/new">Create one</Link>.
    </Empty>
  ) : (
    <DataTable columns={['Schedule', 'Last due', 'Outcome', 'Next fire']}>
      {schedules.map((schedule) => (
        <tr key={schedule.scheduleId} className={schedule.overdue ? 'row-short' : undefined}>
          <td>
            <Link href={`/schedules/${schedule.scheduleId}`}>{schedule.name}</Link>
            {!schedule.enabled && <span className="muted"> (disabled)</span>}
            {schedule.sync === 'pending' && <span className="muted"> (not yet synced to Scheduler)</span>}
          </td>
          <td>{formatInstant(schedule.lastDueAt)}</td>
          <td>
            <Badge state={schedule.lastDueOutcome} />
            {schedule.overdue && <strong> overdue</strong>}
          </td>
          <td>{formatInstant(schedule.nextFireAt)}</td>
        </tr>
      ))}
    </DataTable>
  );

const Failures = ({ failures }: { failures: SchedulerHealth['failures'] }) =>
  failures.length === 0 ? (
    <Empty>No recent run failed.</Empty>
  ) : (
    <DataTable columns={['Run', 'Trigger', 'Started', 'Error']}>
      {failures.map((failure) => (
        <tr key={failure.runId}>
          <td>
            <Link href={`/distributions/${failure.runId}`} className="mono">
              {failure.runId}
            </Link>
          </td>
          <td>{failure.trigger}</td>
          <td>{formatInstant(failure.startedAt)}</td>
          <td>{failure.error ?? 'no error recorded'}</td>
        </tr>
      ))}
    </DataTable>
  );

const DeadLetters = ({ queues }: { queues: SchedulerHealth['deadLetterQueues'] }) =>
  queues.length === 0 ? (
    <Empty>No dead-letter queue is watched.</Empty>
  ) : (
    <DataTable compact columns={['Queue', { label: 'Messages waiting', numeric: true }]}>
      {queues.map((queue) => (
        <tr key={queue.name} className={queue.depth > 0 ? 'row-short' : undefined}>
          <td>{queue.name}</td>
          <td className="number">{formatCount(queue.depth)}</td>
        </tr>
      ))}
    </DataTable>
  );

export const SchedulerHealthPage = () => {
  const health = useSchedulerHealth();
  return (
    <Page title="Scheduler health">
      <QueryView query={health} what="the scheduler health">
        {(data) => (
          <>
            <VerdictBanner health={data} />
            <Section title="Heartbeat">
              <Heartbeat heartbeat={data.heartbeat} />
            </Section>
            <Section title="Schedules">
              <Schedules schedules={data.schedules} />
            </Section>
            <Section title="Failures">
              <Failures failures={data.failures} />
            </Section>
            <Section title="Dead-letter queues">
              <DeadLetters queues={data.deadLetterQueues} />
            </Section>
            <Section title="Uploads">
              <p className={data.stuckUploads > 0 ? 'notice notice-warn' : undefined}>
                {data.stuckUploads > 0
                  ? `${formatCount(data.stuckUploads)} upload(s) stuck in ingest at the last sweep: the sweeper resumes each from its checkpoint, then fails it with its last error (see the Overview).`
                  : 'No upload is stuck in ingest.'}
              </p>
            </Section>
          </>
        )}
      </QueryView>
    </Page>
  );
};
