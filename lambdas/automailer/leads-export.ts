import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { newestAssignments } from '../distribution/adapters/assignment-reader';
import { getMember } from '../members/adapters/member-profile';
import { NotFoundError } from '../shared/errors';
import {
  DEFAULT_LEAD_COLUMNS,
  LEADS_CSV_CONTENT_TYPE,
  type LeadsCsvQuery,
  leadsCsvContentDisposition,
  leadsToCsv,
} from './domain/leads-csv';

export interface LeadsExportInput {
  memberId: string;
  query: LeadsCsvQuery;
  /** For spreadsheets opened from a browser download (Excel reads BOM-less CSV as Windows-1252). */
  bom: boolean;
  now: Date;
}

/**
 * A member's newest leads as CSV, made on the fly and never stored.
 * Steps: the member must exist (404) -> Query their newest assignments (at most 500, optionally only
 * after `since`) -> escape and stringify -> answer as a UTF-8 attachment that nobody caches.
 */
export const exportLeadsCsv = async (
  doc: DynamoDBDocumentClient,
  membersTable: string,
  { memberId, query, bom, now }: LeadsExportInput,
): Promise<APIGatewayProxyResult> => {
  if (!(await getMember(doc, membersTable, memberId))) throw new NotFoundError(`No member ${memberId}`);
  const assignments = await newestAssignments(doc, membersTable, memberId, {
    since: query.since,
    limit: query.limit,
  });
  const body = leadsToCsv(
    assignments.map((assignment) => ({ ...assignment, receivedAt: assignment.assignedAt })),
    { columns: DEFAULT_LEAD_COLUMNS, bom },
  );
  return {
    statusCode: 200,
    headers: {
      'Content-Type': LEADS_CSV_CONTENT_TYPE,
      'Content-Disposition': leadsCsvContentDisposition(now),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
    body,
  };
};
