import { DynamoRunLock } from '../../distribution/adapters/run-lock';
import { readUpload } from '../../ingest/adapters/upload-catalog';
import {
  pauseUpload,
  resumeUpload,
  type UploadControlTables,
  withdrawUpload,
} from '../../ingest/adapters/upload-control';
import type { DocumentClient } from '../../shared/dynamo';
import { ConflictError, NotFoundError } from '../../shared/errors';
import { json, parseJsonBody, parsePathParameters, type RouteHandler } from '../../shared/http';
import { DynamoSettlementStore, unsettledLeadPages } from '../../verification/adapters/settlement-store';
import { releaseStuckUpload } from '../../verification/release-upload';
import { UploadIdParamsSchema, UploadWithdrawBodySchema } from './schemas';
import { uploadView } from './uploads';

/** API Gateway gives a route at most 29 s: the counting claim's lease outlives that. */
const ROUTE_TIME_MS = 29_000;

export interface UploadControlRouteDeps {
  readonly doc: DocumentClient;
  readonly tables: UploadControlTables;
  readonly maxAssignmentsPerLead: number;
  readonly now?: () => number;
}

/**
 * An admin's hold on an upload: pause, resume, withdraw (optionally releasing its leads' hashes) and the
 * release of one stuck in verification. Each answers the upload as it is now; a state the action does not
 * apply to is a 409 that names the state.
 */
export const createUploadControlRoutes = (deps: UploadControlRouteDeps): Record<string, RouteHandler> => {
  const now = deps.now ?? Date.now;
  const options = { maxAssignmentsPerLead: deps.maxAssignmentsPerLead, remainingMs: ROUTE_TIME_MS, now };
  const lock = new DynamoRunLock(deps.doc, deps.tables.control);
  const idOf = (request: Parameters<RouteHandler>[0]) =>
    parsePathParameters(UploadIdParamsSchema, request.event).id;

  const pause: RouteHandler = async (request) =>
    json(200, uploadView(await pauseUpload(deps.doc, deps.tables, idOf(request), options)));

  const resume: RouteHandler = async (request) =>
    json(200, uploadView(await resumeUpload(deps.doc, deps.tables, idOf(request), options)));

  const withdraw: RouteHandler = async (request) => {
    const id = idOf(request);
    const { releaseHashes } = request.event.body
      ? parseJsonBody(UploadWithdrawBodySchema, request.event)
      : { releaseHashes: false };
    // A run counts the slots it hands out against the supply as it goes: withdrawing meanwhile would take
    // those slots off twice.
    const holder = await lock.read();
    if (holder && holder.leaseUntil >= now()) {
      throw new ConflictError('A distribution run is in progress; withdraw the upload once it has ended', {
        runId: holder.runId,
      });
    }
    return json(
      200,
      uploadView(await withdrawUpload(deps.doc, deps.tables, id, { ...options, releaseHashes })),
    );
  };

  const release: RouteHandler = async (request) => {
    const id = idOf(request);
    const report = await releaseStuckUpload(
      {
        store: new DynamoSettlementStore({
          doc: deps.doc,
          tables: deps.tables,
          maxAssignmentsPerLead: deps.maxAssignmentsPerLead,
          now,
        }),
        readUpload: (uploadId) => readUpload(deps.doc, deps.tables.uploads, uploadId),
        unsettledLeads: (uploadId) => unsettledLeadPages(deps.doc, deps.tables.uploads, uploadId),
        now,
        remainingMs: ROUTE_TIME_MS,
      },
      id,
    );
    const upload = await readUpload(deps.doc, deps.tables.uploads, id);
    if (!upload) throw new NotFoundError(`No upload ${id}`);
    return json(200, { upload: uploadView(upload), rejectedUnverified: report.rejectedUnverified });
  };

  return {
    'POST /admin/uploads/{id}/pause': pause,
    'POST /admin/uploads/{id}/resume': resume,
    'POST /admin/uploads/{id}/withdraw': withdraw,
    'POST /admin/uploads/{id}/release': release,
  };
};
