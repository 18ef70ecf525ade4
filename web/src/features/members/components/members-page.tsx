import { useState } from 'react';
import { Link } from 'wouter';
import { Field } from '@/components/field';
import { Badge, Page, Section } from '@/components/page';
import { PagedTable } from '@/components/table';
import { useCursorPages } from '@/hooks/use-cursor-pages';
import { useTierNames } from '@/hooks/use-tier-names';
import { formatCount } from '@/lib/format';
import { type MemberFilter, useMembersPage } from '../api/members';
import { AddressMarkBadge } from './address-mark';
import { MemberImport } from './member-import';

const MemberList = () => {
  const [filter, setFilter] = useState<MemberFilter>({ eligible: 'any', tier: '' });
  const tierNames = useTierNames();
  const pages = useCursorPages();
  const page = useMembersPage(filter, pages.cursor);
  const applyFilter = (next: MemberFilter) => {
    setFilter(next);
    pages.reset();
  };
  return (
    <>
      <form className="inline-form" aria-label="Filter members" onSubmit={(event) => event.preventDefault()}>
        <Field label="Eligibility">
          {(props) => (
            <select
              {...props}
              value={filter.eligible}
              onChange={(event) =>
                applyFilter({ ...filter, eligible: event.target.value as MemberFilter['eligible'] })
              }
            >
              <option value="any">All members</option>
              <option value="true">Owed leads (eligible)</option>
              <option value="false">Not eligible</option>
            </select>
          )}
        </Field>
        <Field label="Tier">
          {(props) => (
            <select
              {...props}
              value={filter.tier}
              onChange={(event) => applyFilter({ ...filter, tier: event.target.value })}
            >
              <option value="">All tiers</option>
              {(tierNames.data ?? []).map((tier) => (
                <option key={tier} value={tier}>
                  {tier}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>
      <PagedTable
        query={page}
        what="members"
        pages={pages}
        rowsOf={(data) => data.members}
        empty="No member matches. Import members below."
        columns={[
          'Member',
          'Tier',
          'Subscription',
          { label: 'Weekly quota', numeric: true },
          'Eligible',
          'Email address',
        ]}
        renderRow={(member) => (
          <tr key={member.id}>
            <td>
              <Link href={`/members/${encodeURIComponent(member.id)}`}>{member.name}</Link>
              <div className="muted mono">{member.id}</div>
            </td>
            <td>{member.tier}</td>
            <td>{member.subscriptionStatus.replaceAll('_', ' ')}</td>
            <td className="number">
              {formatCount(member.weeklyQuota)}
              {member.weeklyQuotaOverride !== null && <span className="muted"> (override)</span>}
            </td>
            <td>
              <Badge state={member.eligible ? 'eligible' : 'not eligible'} />
            </td>
            <td>
              <AddressMarkBadge member={member} />
            </td>
          </tr>
        )}
      />
    </>
  );
};

export const MembersPage = () => (
  <Page title="Members">
    <Section title="Members">
      <MemberList />
    </Section>
    <Section title="Import members">
      <MemberImport />
    </Section>
  </Page>
);
