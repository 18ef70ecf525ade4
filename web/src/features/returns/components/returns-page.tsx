import { useState } from 'react';
import { Link } from 'wouter';
import { Field } from '@/components/field';
import { Badge, Page, Section } from '@/components/page';
import { ErrorMessage } from '@/components/states';
import { PagedTable } from '@/components/table';
import { useCursorPages } from '@/hooks/use-cursor-pages';
import { formatInstant } from '@/lib/format';
import { type LeadReturn, type ReturnState, useDecideReturn, useReturnsQueue } from '../api/returns';

const STATES: readonly ReturnState[] = ['pending', 'approved', 'refused'];

const REASONS: Record<LeadReturn['reason'], string> = {
  bounced: 'Bounced',
  wrong_person: 'Wrong person',
  duplicate_of_mine: 'Duplicate of one they had',
  other: 'Other',
};

/** One pending return's decision: a note (required to refuse) and the two buttons. */
const Decision = ({ item }: { item: LeadReturn }) => {
  const [note, setNote] = useState('');
  const decide = useDecideReturn();
  const noteId = `note-${item.returnId}`;
  return (
    <div className="form-actions">
      <label htmlFor={noteId} className="visually-hidden">
        Note on the return of row {item.row}
      </label>
      <input
        id={noteId}
        type="text"
        placeholder="Note (required to refuse)"
        value={note}
        maxLength={500}
        onChange={(event) => setNote(event.target.value)}
      />
      <button
        type="button"
        className="button"
        disabled={decide.isPending}
        onClick={() => decide.mutate({ id: item.returnId, decision: 'approve', note })}
      >
        Approve
      </button>
      <button
        type="button"
        className="button"
        disabled={decide.isPending || note.trim() === ''}
        onClick={() => decide.mutate({ id: item.returnId, decision: 'refuse', note })}
      >
        Refuse
      </button>
      {decide.isError && <ErrorMessage error={decide.error} />}
    </div>
  );
};

const ReturnsTable = ({ state }: { state: ReturnState }) => {
  const pages = useCursorPages();
  const page = useReturnsQueue(state, pages.cursor);
  return (
    <PagedTable
      query={page}
      what="returns"
      pages={pages}
      rowsOf={(data) => data.returns}
      empty={`No ${state} returns.`}
      columns={[
        'Member',
        'Lead',
        'Reason',
        'Delivered',
        'Returned',
        state === 'pending' ? 'Decision' : 'Decided',
      ]}
      renderRow={(item) => (
        <tr key={item.returnId}>
          <td>
            <Link href={`/members/${encodeURIComponent(item.memberId)}`}>{item.memberId}</Link>
          </td>
          <td>
            <Link href={`/uploads/${item.uploadId}`}>row {item.row}</Link>
          </td>
          <td>
            {REASONS[item.reason]}
            {item.text && <span className="muted"> — {item.text}</span>}
          </td>
          <td>{formatInstant(item.assignedAt)}</td>
          <td>{formatInstant(item.createdAt)}</td>
          <td>
            {item.state === 'pending' ? (
              <Decision item={item} />
            ) : (
              <>
                <Badge state={item.state} /> {formatInstant(item.decidedAt)} by {item.decidedBy}
                {item.note && <div className="muted">{item.note}</div>}
              </>
            )}
          </td>
        </tr>
      )}
    />
  );
};

/**
 * Members' returns of delivered leads. Pending ones wait for a decision: an approval takes the lead out of
 * circulation and owes the member one replacement on the next run; a refusal says why in its note.
 */
export const ReturnsPage = () => {
  const [state, setState] = useState<ReturnState>('pending');
  return (
    <Page title="Returns">
      <form className="inline-form" aria-label="Filter returns" onSubmit={(event) => event.preventDefault()}>
        <Field label="State">
          {(props) => (
            <select
              {...props}
              value={state}
              onChange={(event) => setState(event.target.value as ReturnState)}
            >
              {STATES.map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>
      <Section title={`Returns ${state}, oldest first`}>
        <ReturnsTable key={state} state={state} />
      </Section>
    </Page>
  );
};
