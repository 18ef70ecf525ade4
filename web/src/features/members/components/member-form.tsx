import { type FormEvent, useState } from 'react';
import { Field } from '@/components/field';
import { ErrorMessage } from '@/components/states';
import { fieldErrorsOf } from '@/lib/api-client';
import { type Member, useSaveMember } from '../api/members';
import {
  type MemberFormValues,
  memberFormFrom,
  memberInputFrom,
  SUBSCRIPTION_STATUSES,
} from '../lib/member-form-values';

/** Tier, subscription and quota override of one member; the API checks them and names a bad field. */
export const MemberForm = ({ member }: { member: Member }) => {
  const [values, setValues] = useState<MemberFormValues>(() => memberFormFrom(member));
  const save = useSaveMember(member.id);
  const errors = fieldErrorsOf(save.error);
  const set = <K extends keyof MemberFormValues>(key: K, value: MemberFormValues[K]) =>
    setValues((current) => ({ ...current, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(memberInputFrom(member, values));
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Member settings">
      {save.isError && <ErrorMessage error={save.error} />}
      {save.isSuccess && (
        <p className="notice notice-good" role="status">
          {save.data.outcome === 'unchanged' ? 'Nothing to change.' : 'Saved.'}
        </p>
      )}
      <Field
        label="Tier"
        hint="one of the configured tiers, such as starter, growth, pro or elite"
        error={errors.tier}
      >
        {(props) => (
          <input {...props} value={values.tier} onChange={(event) => set('tier', event.target.value)} />
        )}
      </Field>
      <Field label="Subscription" error={errors.subscriptionStatus}>
        {(props) => (
          <select
            {...props}
            value={values.subscriptionStatus}
            onChange={(event) =>
              set('subscriptionStatus', event.target.value as MemberFormValues['subscriptionStatus'])
            }
          >
            {SUBSCRIPTION_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Subscription ends at"
        hint="ISO 8601, e.g. 2026-12-31T23:59:59Z; blank for no end"
        error={errors.subscriptionEndsAt}
      >
        {(props) => (
          <input
            {...props}
            value={values.subscriptionEndsAt}
            onChange={(event) => set('subscriptionEndsAt', event.target.value)}
          />
        )}
      </Field>
      <Field
        label="Weekly quota override"
        hint="leads per week, 0-10000 (0 pauses the member); blank to follow the tier"
        error={errors.weeklyQuotaOverride}
      >
        {(props) => (
          <input
            {...props}
            inputMode="numeric"
            value={values.weeklyQuotaOverride}
            onChange={(event) => set('weeklyQuotaOverride', event.target.value)}
          />
        )}
      </Field>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
};
