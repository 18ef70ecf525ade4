import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { continuationSchema, ingestEventSchema, uploadIdOfKey } from './events';

describe('ingest events', () => {
  it('finds the upload of an object key, decoding S3’s URL encoding', () => {
    expect(uploadIdOfKey('uploads/01JDXZ8Q7M5Y3K2V1T0S9R8P7N.csv')).toBe('01JDXZ8Q7M5Y3K2V1T0S9R8P7N');
    expect(uploadIdOfKey('uploads%2F01JDXZ8Q7M5Y3K2V1T0S9R8P7N.csv')).toBe('01JDXZ8Q7M5Y3K2V1T0S9R8P7N');
  });

  it.each([
    'results/01JDXZ8Q7M5Y3K2V1T0S9R8P7N.csv',
    'uploads/01JDXZ8Q7M5Y3K2V1T0S9R8P7N.txt',
    'uploads/nested/01JDXZ8Q7M5Y3K2V1T0S9R8P7N.csv',
    'uploads/my+leads.csv',
    'uploads/%E0%A4%A.csv',
  ])('ignores the key %s', (key) => {
    expect(uploadIdOfKey(key)).toBeUndefined();
  });

  it('accepts S3 notifications and SQS batches, and nothing else', () => {
    expect(ingestEventSchema.safeParse({ Records: [] }).success).toBe(false);
    expect(ingestEventSchema.safeParse({ detail: {} }).success).toBe(false);
    expect(
      ingestEventSchema.safeParse({ Records: [{ eventSource: 'aws:sqs', messageId: 'm', body: '{}' }] })
        .success,
    ).toBe(true);
  });

  it('takes a continuation with or without a handed-over lease, and refuses anything else', () => {
    const uploadId = '01JDXZ8Q7M5Y3K2V1T0S9R8P7N';
    expect(continuationSchema.safeParse({ continuation: { uploadId } }).success).toBe(true);
    expect(
      continuationSchema.safeParse({
        continuation: { uploadId, leaseToken: '6f1c2b9e-3a4d-4e5f-8a7b-9c0d1e2f3a4b' },
      }).success,
    ).toBe(true);
    expect(continuationSchema.safeParse({ continuation: { uploadId: 'UPLOAD#x' } }).success).toBe(false);
    expect(continuationSchema.safeParse({ continuation: { uploadId }, extra: 1 }).success).toBe(false);
  });
});

describe('the sample events in events/', () => {
  const sample = (name: string) =>
    JSON.parse(
      readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../events', name), 'utf8'),
    );

  it('parses the S3 notification sample to its upload', () => {
    const event = ingestEventSchema.parse(sample('s3/object-created-post.json'));
    const record = event.Records[0];
    expect(record?.eventSource).toBe('aws:s3');
    expect(record?.eventSource === 'aws:s3' && uploadIdOfKey(record.s3.object.key)).toBe(
      '01JDXZ8Q7M5Y3K2V1T0S9R8P7N',
    );
  });

  it('parses the continuation sample', () => {
    const event = ingestEventSchema.parse(sample('sqs/ingest-continuation.json'));
    const record = event.Records[0];
    expect(record?.eventSource === 'aws:sqs' && continuationSchema.parse(JSON.parse(record.body))).toEqual({
      continuation: {
        uploadId: '01JDXZ8Q7M5Y3K2V1T0S9R8P7N',
        leaseToken: '6f1c2b9e-3a4d-4e5f-8a7b-9c0d1e2f3a4b',
      },
    });
  });
});
