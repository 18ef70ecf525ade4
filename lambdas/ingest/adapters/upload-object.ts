import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { UploadSource } from '../domain/ports';

/**
 * The uploaded object is gone or is no longer the file the ingest started on (a reused presigned POST
 * replaced it). Retrying cannot help: the upload fails with this reason.
 */
export class UnusableObjectError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'UnusableObjectError';
  }
}

export interface ObjectFacts {
  size: number;
  eTag: string;
  /** The media type without parameters, lower case ('' when S3 has none). */
  mediaType: string;
}

const GONE = new Set(['NotFound', 'NoSuchKey']);
const REPLACED = 'The file was replaced while it was being ingested; upload it again with a new slot';

const rethrow = (error: unknown): never => {
  const name = (error as { name?: string }).name ?? '';
  if (GONE.has(name)) throw new UnusableObjectError('The uploaded file no longer exists');
  if (name === 'PreconditionFailed') throw new UnusableObjectError(REPLACED);
  throw error;
};

/** Size, ETag and content type, from S3 itself (the POST policy's own limits are not trusted blindly). */
export const inspectObject = async (s3: S3Client, bucket: string, key: string): Promise<ObjectFacts> => {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).catch(rethrow);
  return {
    size: head.ContentLength ?? 0,
    eTag: head.ETag ?? '',
    mediaType: (head.ContentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '',
  };
};

/**
 * Opens the object, insisting on the ETag first seen: `If-Match` makes S3 refuse a replaced object, and
 * the answer's own ETag is checked too (emulators ignore If-Match).
 */
const openPinned = async (s3: S3Client, bucket: string, key: string, eTag: string) => {
  const object = await s3
    .send(new GetObjectCommand({ Bucket: bucket, Key: key, IfMatch: eTag }))
    .catch(rethrow);
  if (object.ETag !== eTag || !object.Body) {
    (object.Body as { destroy?: () => void } | undefined)?.destroy?.();
    throw new UnusableObjectError(REPLACED);
  }
  return object.Body as AsyncIterable<Uint8Array>;
};

/** SHA-256 of the object's bytes, streamed: the key that refuses a byte-identical re-upload. */
export const hashObject = async (
  s3: S3Client,
  bucket: string,
  key: string,
  eTag: string,
): Promise<string> => {
  const hash = createHash('sha256');
  for await (const chunk of await openPinned(s3, bucket, key, eTag)) hash.update(chunk);
  return hash.digest('hex');
};

/** The use case's view of the file: a fresh stream of the pinned object per open(). */
export const s3UploadSource = (s3: S3Client, bucket: string, key: string, eTag: string): UploadSource => ({
  open: () => openPinned(s3, bucket, key, eTag),
});
