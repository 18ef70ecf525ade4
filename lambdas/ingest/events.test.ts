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
