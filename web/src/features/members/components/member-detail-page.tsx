import { Link } from 'wouter';
import { Badge, Figure, Figures, Page, Section } from '@/components/page';
import { QueryView } from '@/components/states';
import { PagedTable } from '@/components/table';
import { useCursorPages } from '@/hooks/use-cursor-pages';
import { formatCount, formatInstant } from '@/lib/format';
import { type MemberDetail, useMember, useMemberLeads } from '../api/members';
import { AddressMarkPanel } from './address-mark';
import { AutomailerLinkPanel } from './automailer-link';
import { MemberForm } from './member-form';
import { MemberLedgerTable } from './member-ledger';
import { MemberReturns } from './member-returns';

const ThisWeek = ({ detail }: { detail: MemberDetail }) => (
  <Figures>
    <Figure label="Eligible" value={<Badge state={detail.member.eligible ? 'eligible' : 'not eligible'} />} />
    <Figure
      label="Received this week"
      value={`${formatCount(detail.thisWeek.received)} of ${formatCount(detail.thisWeek.weeklyQuota)}`}
      hint={`week ${detail.thisWeek.weekKey} (${detail.thisWeek.timeZone})`}
    />
    <Figure label="Still owed this week" value={formatCount(detail.thisWeek.owed)} />
    <Figure label="Last served" value={formatInstant(detail.thisWeek.lastServedAt)} />
  </Figures>
);

const nameOf = (lead: { fullName?: string; firstName?: string; lastName?: string }) =>
  lead.fullName ?? ([lead.firstName, lead.lastName].filter(Boolean).join(' ') || '—');

const DeliveredLeads = ({ memberId }: { memberId: string }) => {
  const pages = useCursorPages();
  const leads = useMemberLeads(memberId, pages.cursor);
  return (
    <PagedTable
      query={leads}
      what="delivered leads"
      pages={pages}
      rowsOf={(data) => data.leads}
      empty="No lead has been delivered to this member yet."
      caption="Delivered leads"
      captionHidden
      columns={['Delivered', 'Email', 'Name', 'Company', 'From']}
      renderRow={(lead) => (
        <tr key={`${lead.uploadId}-${lead.row}`}>
          <td>{formatInstant(lead.assignedAt)}</td>
          <td>{lead.email}</td>
          <td>{nameOf(lead)}</td>
          <td>{lead.company ?? '—'}</td>
          <td>
            <Link href={`/uploads/${lead.uploadId}`}>row {formatCount(lead.row)}</Link> in{' '}
            <Link href={`/distributions/${lead.runId}`}>this run</Link>
          </td>
        </tr>
      )}
    />
  );
};

export const MemberDetailPage = ({ id }: { id: string }) => {
  const memberId = decodeURIComponent(id);
  const detail = useMember(memberId);
  return (
    <Page title={detail.data?.member.name ?? 'Member'}>
      <QueryView query={detail} what="the member">
        {(data) => (
          <>
            <p className="muted">
              <span className="mono">{data.member.id}</span> · {data.member.email} · {data.member.tier} ·{' '}
              {data.member.subscriptionStatus.replaceAll('_', ' ')}
            </p>
            <Section title="This week">
              <ThisWeek detail={data} />
            </Section>
            <Section title="Email address">
              <AddressMarkPanel member={data.member} />
            </Section>
            <Section title="Ledger">
              <MemberLedgerTable memberId={memberId} />
            </Section>
            <Section title="Settings">
              <MemberForm key={data.member.version} member={data.member} />
            </Section>
            <Section title="AutoMailer">
              <AutomailerLinkPanel memberId={memberId} />
            </Section>
            <Section title="Returns">
              <MemberReturns memberId={memberId} />
            </Section>
          </>
        )}
      </QueryView>
      <Section title="Delivered leads">
        <DeliveredLeads memberId={memberId} />
      </Section>
    </Page>
  );
};
