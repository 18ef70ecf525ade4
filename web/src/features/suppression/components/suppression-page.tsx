import { type FormEvent, useId, useState } from 'react';
import { Field } from '@/components/field';
import { Page, Section } from '@/components/page';
import { ErrorMessage } from '@/components/states';
import { DataTable, PagedTable } from '@/components/table';
import { useCursorPages } from '@/hooks/use-cursor-pages';
import { formatCount, formatInstant } from '@/lib/format';
import {
  type SuppressionImportResult,
  useAddSuppression,
  useErasePerson,
  useErasures,
  useImportSuppressions,
  useRemoveSuppression,
  useSuppressions,
} from '../api/suppression';

const EXAMPLE = 'email,domain\nsomeone@example.com,\n,competitor.example';

const AddForm = () => {
  const [kind, setKind] = useState<'email' | 'domain'>('email');
  const [value, setValue] = useState('');
  const add = useAddSuppression();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(kind === 'email' ? { email: value } : { domain: value }, { onSuccess: () => setValue('') });
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Suppress an address or a domain">
      <Field label="Kind">
        {(props) => (
          <select
            {...props}
            value={kind}
            onChange={(event) => setKind(event.target.value as 'email' | 'domain')}
          >
            <option value="email">Email address</option>
            <option value="domain">Whole domain</option>
          </select>
        )}
      </Field>
      <Field label={kind === 'email' ? 'Address' : 'Domain'}>
        {(props) => (
          <input
            {...props}
            type="text"
            value={value}
            maxLength={320}
            placeholder={kind === 'email' ? 'someone@example.com' : 'example.com'}
            onChange={(event) => setValue(event.target.value)}
          />
        )}
      </Field>
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={add.isPending || value.trim() === ''}
        >
          Suppress
        </button>
      </div>
      {add.isError && <ErrorMessage error={add.error} />}
      {add.isSuccess && (
        <p role="status">
          {add.data.created ? 'Added to the suppression list.' : 'It was on the list already.'}
        </p>
      )}
    </form>
  );
};

const ImportOutcome = ({ result }: { result: SuppressionImportResult }) => (
  <div role="status">
    <p>
      {formatCount(result.received)} rows: {formatCount(result.added)} added,{' '}
      {formatCount(result.alreadyListed)} listed already,{' '}
      <strong>{formatCount(result.refused.length)} refused</strong>.
    </p>
    {result.refused.length > 0 && (
      <DataTable caption="Refused rows" columns={[{ label: 'Row', numeric: true }, 'Reason']}>
        {result.refused.map((refusal) => (
          <tr key={refusal.row}>
            <td className="number">{refusal.row}</td>
            <td>{refusal.reason}</td>
          </tr>
        ))}
      </DataTable>
    )}
  </div>
);

const ImportForm = () => {
  const [text, setText] = useState('');
  const fileId = useId();
  const importList = useImportSuppressions();
  return (
    <form
      className="form"
      aria-label="Import a suppression list"
      onSubmit={(event) => {
        event.preventDefault();
        importList.mutate(text);
      }}
    >
      <div className="field">
        <label htmlFor={fileId}>Load a CSV file</label>
        <input
          id={fileId}
          type="file"
          accept=".csv,text/csv"
          onChange={async (event) => {
            const file = event.target.files?.[0];
            if (file) setText(await file.text());
          }}
        />
      </div>
      <Field
        label="Entries to suppress"
        hint="or paste them: a header row naming an email column, a domain column, or both"
      >
        {(props) => (
          <textarea
            {...props}
            value={text}
            placeholder={EXAMPLE}
            onChange={(event) => setText(event.target.value)}
          />
        )}
      </Field>
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={importList.isPending || text.trim() === ''}
        >
          {importList.isPending ? 'Importing…' : 'Import'}
        </button>
      </div>
      {importList.isError && <ErrorMessage error={importList.error} />}
      {importList.isSuccess && <ImportOutcome result={importList.data} />}
    </form>
  );
};

const SuppressionList = () => {
  const pages = useCursorPages();
  const page = useSuppressions(pages.cursor);
  const remove = useRemoveSuppression();
  return (
    <PagedTable
      query={page}
      what="the suppression list"
      pages={pages}
      rowsOf={(data) => data.suppressions}
      empty="Nobody is suppressed."
      columns={['Entry', 'From', 'Added', 'Action']}
      notice={remove.isError && <ErrorMessage error={remove.error} />}
      renderRow={(entry) => (
        <tr key={entry.id}>
          <td>
            {entry.domain ?? (
              <span className="muted" title={entry.id}>
                an address (kept only as its keyed hash)
              </span>
            )}
          </td>
          <td>{entry.source}</td>
          <td>
            {formatInstant(entry.addedAt)} by {entry.addedBy}
          </td>
          <td>
            <button
              type="button"
              className="button"
              disabled={remove.isPending}
              onClick={() => remove.mutate(entry.id)}
              aria-label={`Remove ${entry.domain ?? 'this address'} from the list`}
            >
              Remove
            </button>
          </td>
        </tr>
      )}
    />
  );
};

const ErasureForm = () => {
  const [email, setEmail] = useState('');
  const erase = useErasePerson();
  return (
    <form
      className="inline-form"
      aria-label="Erase a person"
      onSubmit={(event) => {
        event.preventDefault();
        erase.mutate(email, { onSuccess: () => setEmail('') });
      }}
    >
      <Field label="Email of the person to erase">
        {(props) => (
          <input
            {...props}
            type="email"
            value={email}
            maxLength={320}
            onChange={(event) => setEmail(event.target.value)}
          />
        )}
      </Field>
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={erase.isPending || email.trim() === ''}
        >
          {erase.isPending ? 'Erasing…' : 'Erase'}
        </button>
      </div>
      {erase.isError && <ErrorMessage error={erase.error} />}
      {erase.isSuccess && (
        <p role="status">
          Erased: {formatCount(erase.data.touched.leads)} lead, {formatCount(erase.data.touched.assignments)}{' '}
          deliveries, {formatCount(erase.data.touched.files)} files rewritten.
        </p>
      )}
    </form>
  );
};

const ErasureList = () => {
  const pages = useCursorPages();
  const page = useErasures(pages.cursor);
  return (
    <PagedTable
      query={page}
      what="erasures"
      pages={pages}
      rowsOf={(data) => data.erasures}
      empty="No erasures yet."
      columns={[
        'When',
        'Who',
        { label: 'Leads', numeric: true },
        { label: 'Deliveries', numeric: true },
        { label: 'Files', numeric: true },
      ]}
      renderRow={(erasure) => (
        <tr key={erasure.erasureId}>
          <td>{formatInstant(erasure.requestedAt)}</td>
          <td>{erasure.requestedBy}</td>
          <td className="number">{formatCount(erasure.touched.leads)}</td>
          <td className="number">{formatCount(erasure.touched.assignments)}</td>
          <td className="number">{formatCount(erasure.touched.files)}</td>
        </tr>
      )}
    />
  );
};

/**
 * People who must never be contacted: addresses (kept only as keyed hashes) and whole domains, refused at
 * ingest and never handed out. An erasure removes a person's data everywhere and suppresses them.
 */
export const SuppressionPage = () => (
  <Page title="Suppression">
    <Section title="Suppress an address or a domain">
      <AddForm />
    </Section>
    <Section title="Import a list">
      <ImportForm />
    </Section>
    <Section title="The suppression list">
      <SuppressionList />
    </Section>
    <Section title="Erase a person (privacy request)">
      <ErasureForm />
    </Section>
    <Section title="Erasures, newest first">
      <ErasureList />
    </Section>
  </Page>
);
