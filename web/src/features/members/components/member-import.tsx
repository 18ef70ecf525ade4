import { type FormEvent, useId, useState } from 'react';
import { Field } from '@/components/field';
import { ErrorMessage } from '@/components/states';
import { DataTable } from '@/components/table';
import { formatCount } from '@/lib/format';
import { type ImportFormat, type ImportResult, useImportMembers } from '../api/members';
import { guessImportFormat } from '../lib/member-form-values';

const EXAMPLE =
  'id,email,name,tier,subscriptionStatus,weeklyQuotaOverride\nm-1001,ada@example.com,Ada Lovelace,pro,active,';

/** The tally, and every refused row with its number and the reason, so the admin can fix exactly those. */
export const ImportOutcome = ({ result }: { result: ImportResult }) => (
  <div role="status">
    <p>
      {formatCount(result.received)} rows: {formatCount(result.created)} created,{' '}
      {formatCount(result.updated)} updated, {formatCount(result.unchanged)} unchanged,{' '}
      <strong>{formatCount(result.failed)} refused</strong>.
    </p>
    {result.errors.length > 0 && (
      <DataTable
        caption="Refused rows"
        columns={[{ label: 'Row', numeric: true }, 'Member', 'Field', 'Reason']}
      >
        {result.errors.map((error) => (
          <tr key={`${error.row}-${error.field ?? ''}-${error.message}`}>
            <td className="number">{error.row}</td>
            <td>{error.memberId ?? '—'}</td>
            <td>{error.field ?? '—'}</td>
            <td>{error.message}</td>
          </tr>
        ))}
      </DataTable>
    )}
  </div>
);

export const MemberImport = () => {
  const [text, setText] = useState('');
  const [format, setFormat] = useState<ImportFormat>('csv');
  const fileHint = useId();
  const importMembers = useImportMembers();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    importMembers.mutate({ text, format });
  };
  return (
    <form className="form" onSubmit={submit} aria-label="Import members">
      <div className="field">
        <label htmlFor={`${fileHint}-file`}>Load a CSV or JSON file</label>
        <input
          id={`${fileHint}-file`}
          type="file"
          accept=".csv,.json,text/csv,application/json"
          onChange={async (event) => {
            const file = event.target.files?.[0];
            if (!file) return;
            const content = await file.text();
            setText(content);
            setFormat(file.name.toLowerCase().endsWith('.json') ? 'json' : guessImportFormat(content));
          }}
        />
      </div>
      <Field
        label="Members to import"
        hint="or paste them: CSV with a header row (id, email, name, tier, subscriptionStatus, and optionally subscriptionEndsAt, weeklyQuotaOverride), or a JSON array of the same fields"
      >
        {(props) => (
          <textarea
            {...props}
            value={text}
            placeholder={EXAMPLE}
            onChange={(event) => {
              setText(event.target.value);
              setFormat(guessImportFormat(event.target.value));
            }}
          />
        )}
      </Field>
      <Field label="Format">
        {(props) => (
          <select
            {...props}
            value={format}
            onChange={(event) => setFormat(event.target.value as ImportFormat)}
          >
            <option value="csv">CSV</option>
            <option value="json">JSON</option>
          </select>
        )}
      </Field>
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={importMembers.isPending || text.trim() === ''}
        >
          {importMembers.isPending ? 'Importing…' : 'Import'}
        </button>
      </div>
      {importMembers.isError && <ErrorMessage error={importMembers.error} />}
      {importMembers.isSuccess && <ImportOutcome result={importMembers.data} />}
    </form>
  );
};
