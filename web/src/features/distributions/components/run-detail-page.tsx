import { Link } from 'wouter';
import { Badge, Figure, Figures, Page, Section } from '@/components/page';
import { Empty, QueryView } from '@/components/states';
import type { Schemas } from '@/lib/api-types';
import { formatCount, formatInstant } from '@/lib/format';
import { useRun } from '../api/runs';

const UploadLinks = ({ ids, none }: { ids: readonly string[]; none: string }) =>
  ids.length === 0 ? (
    <Empty>{none}</Empty>
  ) : (
    <ul>
      {ids.map((id) => (
        <li key={id}>
          <Link href={`/uploads/${id}`} className="mono">
            {id}
          </Link>
        </li>
      ))}
    </ul>
  );

const RunDetail = ({ run }: { run: Schemas['Run'] }) => (
  <>
    <p>
      <Badge state={run.state} />{' '}
      {run.trigger === 'schedule' ? 'started by a schedule' : 'started by an admin'}
      {run.scheduleId && (
        <>
          {' '}
          (<Link href={`/schedules/${run.scheduleId}`}>the schedule</Link>)
        </>
      )}
      {run.requestedBy && ` · asked by ${run.requestedBy}`}
    </p>
    {run.error && <p className="notice notice-bad">The run failed: {run.error}</p>}
    {run.skippedReason && <p className="notice notice-warn">The run was skipped: {run.skippedReason}</p>}
    <Section title="When">
      <dl className="facts">
        <div>
          <dt>Week</dt>
          <dd>
            {run.weekKey} ({run.timeZone})
          </dd>
        </div>
        <div>
          <dt>Due</dt>
          <dd>{formatInstant(run.runAt)}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatInstant(run.startedAt)}</dd>
        </div>
        <div>
          <dt>Ended</dt>
          <dd>{run.endedAt ? formatInstant(run.endedAt) : 'still running'}</dd>
        </div>
        <div>
          <dt>Attempts</dt>
          <dd>{run.attempts}</dd>
        </div>
      </dl>
    </Section>
    <Section title="Counts">
      <Figures>
        <Figure label="Leads assigned" value={formatCount(run.leadsAssigned)} />
        <Figure label="Leads short" value={formatCount(run.leadsShort)} />
        <Figure label="Members served" value={formatCount(run.membersServed)} />
        <Figure label="Members short" value={formatCount(run.membersShort)} />
        <Figure label="Members notified" value={formatCount(run.membersNotified)} />
        <Figure
          label="Members not emailed"
          value={formatCount(run.membersNotMailed)}
          hint="served, but their address is marked (bounce or complaint)"
        />
        <Figure
          label="Emails of unknown outcome"
          value={formatCount(run.notifiedUnknown)}
          hint="no answer from SES, or the run stopped mid-send: never sent again"
        />
      </Figures>
    </Section>
    <Section title="Uploads touched">
      <UploadLinks ids={run.uploadsTouched} none="No upload gave leads to this run." />
    </Section>
    <Section title="Uploads exhausted">
      <UploadLinks ids={run.uploadsExhausted} none="No upload ran out of leads in this run." />
    </Section>
  </>
);

export const RunDetailPage = ({ id }: { id: string }) => {
  const run = useRun(id);
  return (
    <Page title={run.data ? `Run of ${formatInstant(run.data.run.startedAt)}` : 'Run'}>
      <QueryView query={run} what="the run">
        {(data) => <RunDetail run={data.run} />}
      </QueryView>
    </Page>
  );
};
