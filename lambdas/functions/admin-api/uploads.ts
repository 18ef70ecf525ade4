import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { putNewUpload, readUpload, uploadsNewestFirst } from '../../ingest/adapters/upload-catalog';
import type { DocumentClient } from '../../shared/dynamo';
import { NotFoundError, UnauthorizedError } from '../../shared/errors';
import { json, parseJsonBody, parsePathParameters, parseQuery, type RouteHandler } from '../../shared/http';
import {
  UPLOAD_ID_PATTERN,
  type UploadItem,
  uploadKey,
  uploadListIndexKeys,
  uploadObjectKey,
  uploadStateIndexKeys,
} from '../../shared/model';
import * as z from '../../shared/zod';
import type { UploadViewSchema } from './answers';
import { decodeCursor, encodeCursor } from './cursor';
import { UploadIdParamsSchema, UploadListQuerySchema, UploadSlotBodySchema } from './schemas';

/** How long a presigned POST (upload slot) and a result link stay valid. */
export const UPLOAD_SLOT_SECONDS = 15 * 60;
export const RESULT_LINK_SECONDS = 5 * 60;
/** A slot nobody used disappears after this (TTL; readers treat it as gone before that, too). */
export const ABANDONED_SLOT_SECONDS = 7 * 24 * 3600;
export const UPLOAD_CONTENT_TYPE = 'text/csv';

export interface UploadRoutesDependencies {
  doc: DocumentClient;
  s3: S3Client;
  table: string;
  bucket: string;
  /** The largest file S3 will take through a slot (the POST policy's content-length-range). */
  maxBytes: number;
  newUploadId: () => string;
  now?: () => number;
}

/** The slot request narrowed to what S3 will take through a slot (the POST policy's content-length-range). */
const slotBodySchema = (maxBytes: number) =>
  z.extend(UploadSlotBodySchema, {
    sizeBytes: UploadSlotBodySchema.shape.sizeBytes.check(
      z.maximum(
        maxBytes,
        `at most ${maxBytes} bytes (${Math.floor(maxBytes / 1024 / 1024)} MB) may be uploaded`,
      ),
    ),
  });

/** The opaque cursor is the byCreation index's LastEvaluatedKey; anything else in it is refused. */
const cursorKeySchema = z.strictObject({
  pk: z.string().check(z.startsWith('UPLOAD#')),
  sk: z.literal('UPLOAD'),
  gsi2pk: z.literal(uploadListIndexKeys('x').gsi2pk),
  gsi2sk: z.string().check(z.regex(UPLOAD_ID_PATTERN)),
});

/** An abandoned slot is gone once past `expiresAt`, whether or not TTL has deleted it yet. */
const isGone = (item: UploadItem, now: number) =>
  item.expiresAt !== undefined && item.expiresAt * 1000 <= now;

/** What an admin sees of an upload: its state, counts and why it failed or was refused, if it was. */
export const uploadView = (item: UploadItem): z.infer<typeof UploadViewSchema> => ({
  uploadId: item.uploadId,
  fileName: item.fileName,
  state: item.state,
  uploadedBy: item.uploadedBy,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
  sizeBytes: item.objectSize ?? item.sizeBytes,
  counts: {
    rowsRead: item.rowsRead ?? 0,
    accepted: item.accepted ?? 0,
    duplicateInFile: item.duplicateInFile ?? 0,
    duplicateOfEarlier: item.duplicateOfEarlier ?? 0,
    rejected: item.rejected ?? 0,
    verificationPending: item.verificationPending ?? 0,
    deliverable: item.deliverable ?? 0,
    undeliverable: item.undeliverable ?? 0,
    assigned: item.assigned ?? 0,
  },
  ...(item.failureReason === undefined ? {} : { failureReason: item.failureReason }),
  ...(item.stoppedAtRow === undefined ? {} : { stoppedAtRow: item.stoppedAtRow }),
  ...(item.duplicateOf === undefined ? {} : { duplicateOf: item.duplicateOf }),
  ...(item.hashesReleasedAt === undefined ? {} : { hashesReleasedAt: item.hashesReleasedAt }),
});

/** `leads.csv` -> `leads.result.csv`, with anything unusual in a header value replaced. */
const resultFileName = (fileName: string) =>
  `${
    fileName
      .replace(/\.csv$/i, '')
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .slice(0, 100) || 'upload'
  }.result.csv`;

/**
 * The upload routes of the admin API.
 * - POST /admin/uploads: validate the name and size -> create the upload (ULID, `awaiting_upload`, who, the
 *   name) -> a presigned POST for `uploads/<id>.csv` only: text/csv, exactly `sizeBytes`, 15 minutes. S3 refuses
 *   anything else; the key never comes from the file name.
 * - GET /admin/uploads: newest first (the byCreation index), paginated by an opaque cursor.
 * - GET /admin/uploads/{id}: state, counts, progress, and a 5-minute link to the result file once written.
 */
export const createUploadRoutes = (deps: UploadRoutesDependencies): Record<string, RouteHandler> => {
  const now = deps.now ?? Date.now;
  const bodySchema = slotBodySchema(deps.maxBytes);

  const create: RouteHandler = async ({ event, principal }) => {
    if (!principal) throw new UnauthorizedError();
    const { fileName, sizeBytes } = parseJsonBody(bodySchema, event);
    const uploadId = deps.newUploadId();
    const createdAt = new Date(now()).toISOString();
    const item: UploadItem = {
      ...uploadKey(uploadId),
      sk: 'UPLOAD',
      ...uploadListIndexKeys(uploadId),
      ...uploadStateIndexKeys('awaiting_upload', createdAt, uploadId),
      uploadId,
      state: 'awaiting_upload',
      fileName,
      sizeBytes,
      uploadedBy: principal.sub,
      createdAt,
      updatedAt: createdAt,
      objectKey: uploadObjectKey(uploadId),
      expiresAt: Math.floor(now() / 1000) + ABANDONED_SLOT_SECONDS,
    };
    await putNewUpload(deps.doc, deps.table, item);
    const post = await createPresignedPost(deps.s3, {
      Bucket: deps.bucket,
      Key: item.objectKey,
      Conditions: [
        // Exactly the declared size: S3 refuses any other file; the ingest checks it again.
        ['content-length-range', sizeBytes, sizeBytes],
        ['eq', '$Content-Type', UPLOAD_CONTENT_TYPE],
      ],
      Fields: { 'Content-Type': UPLOAD_CONTENT_TYPE },
      Expires: UPLOAD_SLOT_SECONDS,
    });
    return json(201, {
      uploadId,
      state: item.state,
      upload: { url: post.url, fields: post.fields, expiresInSeconds: UPLOAD_SLOT_SECONDS },
      maxBytes: deps.maxBytes,
    });
  };

  const list: RouteHandler = async ({ event }) => {
    const { limit, cursor } = parseQuery(UploadListQuerySchema, event);
    const page = await uploadsNewestFirst(deps.doc, deps.table, {
      limit,
      cursor: decodeCursor(cursor, cursorKeySchema),
    });
    const uploads = page.items.filter((item) => !isGone(item, now())).map(uploadView);
    return json(200, { uploads, nextCursor: encodeCursor(page.next) });
  };

  const get: RouteHandler = async ({ event }) => {
    const { id } = parsePathParameters(UploadIdParamsSchema, event);
    const item = await readUpload(deps.doc, deps.table, id);
    if (!item || isGone(item, now())) throw new NotFoundError(`No upload ${id}`);
    const result =
      item.resultKey === undefined
        ? undefined
        : {
            url: await getSignedUrl(
              deps.s3,
              new GetObjectCommand({
                Bucket: deps.bucket,
                Key: item.resultKey,
                ResponseContentDisposition: `attachment; filename="${resultFileName(item.fileName)}"`,
                ResponseContentType: 'text/csv; charset=utf-8',
              }),
              { expiresIn: RESULT_LINK_SECONDS },
            ),
            expiresInSeconds: RESULT_LINK_SECONDS,
          };
    return json(200, {
      ...uploadView(item),
      // Ingest (rows read and fully processed) then verification (leads settled, leads still waiting):
      // enough for a progress bar without adding the counts up on the client.
      progress: {
        rowsRead: item.rowsRead ?? 0,
        rowsDone: item.rowsDone ?? 0,
        verified: (item.deliverable ?? 0) + (item.undeliverable ?? 0),
        verificationPending: item.verificationPending ?? 0,
      },
      ...(result ? { result } : {}),
    });
  };

  return {
    'POST /admin/uploads': create,
    'GET /admin/uploads': list,
    'GET /admin/uploads/{id}': get,
  };
};
