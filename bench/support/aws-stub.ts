import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';

/**
 * In-process answers to the ingest's DynamoDB, SQS and S3 requests, at the HTTP layer: the real SDK
 * clients serialize, sign and parse every request as they would against AWS (so a middleware can count
 * them), but nothing leaves the process and no emulator's memory is measured.
 *
 * Only what the ingest needs is modelled, the way AWS answers it: the lead-hash table is real (conditional
 * put with the owner returned on refusal, batch reads), the upload item is served as stored, every other
 * write succeeds and is discarded (only sizes are kept), and the uploaded file streams from disk. The
 * lead-hash table keys on the first 52 bits of each hash to stay small: a 1M-row run keeps ~40 MB here.
 */

interface StubRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

interface StubResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Uint8Array | Readable;
}

export interface StubHandler {
  handle(request: StubRequest): Promise<{ response: StubResponse }>;
  updateHttpClientConfig(): void;
  httpHandlerConfigs(): Record<string, never>;
}

type AttributeValue = {
  S?: string;
  N?: string;
  M?: Record<string, AttributeValue>;
  BOOL?: boolean;
  NULL?: boolean;
};

const handler = (answer: (request: StubRequest) => Promise<StubResponse>): StubHandler => ({
  handle: async (request) => ({ response: await answer(request) }),
  updateHttpClientConfig: () => undefined,
  httpHandlerConfigs: () => ({}),
});

const json = (statusCode: number, body: unknown, type = 'application/x-amz-json-1.0'): StubResponse => ({
  statusCode,
  headers: { 'content-type': type, 'x-amzn-requestid': randomUUID() },
  body: Buffer.from(JSON.stringify(body)),
});

const xml = (body: string, headers: Record<string, string> = {}): StubResponse => ({
  statusCode: 200,
  headers: { 'content-type': 'application/xml', ...headers },
  body: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>${body}`),
});

/** Plain values -> DynamoDB's attribute values (strings, numbers, booleans, maps). */
export const toAttributeValue = (value: unknown): AttributeValue => {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (value === null || value === undefined) return { NULL: true };
  return {
    M: Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toAttributeValue(v)]),
    ),
  };
};

const bodyText = async (body: unknown): Promise<string> => (await bodyBytes(body)).toString('utf8');

const bodyBytes = async (body: unknown): Promise<Buffer> => {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  // A view, not a copy through the body's own methods (the SDK warns when string methods are used on it).
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
};

export interface AwsStubOptions {
  bucket: string;
  /** The uploaded file, on disk. */
  upload: { key: string; path: string; contentType: string; eTag: string };
  /** The upload item the ingest leases, as stored in the uploads table. */
  uploadItem: Record<string, unknown>;
  tables: { uploads: string; leadHashes: string; control: string };
}

export class AwsStub {
  /** Lead-hash table: first 52 bits of the hash -> owner (row; negative rows belong to `EARLIER_UPLOAD`). */
  private readonly leadHashes = new Map<number, number>();
  private readonly partSizes = new Map<string, number>();
  readonly dynamodb: StubHandler;
  readonly sqs: StubHandler;
  readonly s3: StubHandler;

  static readonly EARLIER_UPLOAD = '01EARLIERUPLOAD00000000000';

  constructor(private readonly options: AwsStubOptions) {
    this.dynamodb = handler((request) => this.answerDynamo(request));
    this.sqs = handler((request) => this.answerSqs(request));
    this.s3 = handler((request) => this.answerS3(request));
  }

  /** Marks a hash as accepted by an earlier upload (the "already known" leads). */
  seedKnown(hash: string, row: number): void {
    this.leadHashes.set(hashKey(hash), -row);
  }

  private ownerItem(hash: string, owner: number) {
    return {
      hash: { S: hash },
      uploadId: { S: owner < 0 ? AwsStub.EARLIER_UPLOAD : String(this.options.uploadItem.uploadId) },
      row: { N: String(Math.abs(owner)) },
    };
  }

  private async answerDynamo(request: StubRequest): Promise<StubResponse> {
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1];
    const input = JSON.parse(await bodyText(request.body));
    const { tables } = this.options;
    switch (operation) {
      case 'GetItem': {
        const isUpload = input.TableName === tables.uploads && input.Key?.sk?.S === 'UPLOAD';
        return json(200, isUpload ? { Item: toAttributeValue(this.options.uploadItem).M } : {});
      }
      case 'PutItem': {
        if (input.TableName !== tables.leadHashes) return json(200, {});
        const hash = input.Item.hash.S as string;
        const row = Number(input.Item.row.N);
        const mine = input.Item.uploadId.S === this.options.uploadItem.uploadId;
        const owner = this.leadHashes.get(hashKey(hash));
        if (owner === undefined || (mine && owner === row)) {
          this.leadHashes.set(hashKey(hash), mine ? row : -row);
          return json(200, {});
        }
        return json(400, {
          __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
          message: 'The conditional request failed',
          ...(input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD'
            ? { Item: this.ownerItem(hash, owner) }
            : {}),
        });
      }
      case 'BatchGetItem': {
        const keys = (input.RequestItems[tables.leadHashes]?.Keys ?? []) as { hash: { S: string } }[];
        const found = keys.flatMap(({ hash }) => {
          const owner = this.leadHashes.get(hashKey(hash.S));
          return owner === undefined ? [] : [this.ownerItem(hash.S, owner)];
        });
        return json(200, { Responses: { [tables.leadHashes]: found }, UnprocessedKeys: {} });
      }
      case 'BatchWriteItem':
        return json(200, { UnprocessedItems: {} });
      case 'UpdateItem':
        return json(200, input.ReturnValues && input.ReturnValues !== 'NONE' ? { Attributes: {} } : {});
      case 'Query':
        return json(200, { Items: [], Count: 0 });
      default:
        return json(400, {
          __type: 'com.amazon.coral.service#UnknownOperationException',
          message: operation,
        });
    }
  }

  private async answerSqs(request: StubRequest): Promise<StubResponse> {
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1];
    const input = JSON.parse(await bodyText(request.body));
    const md5 = (text: string) => createHash('md5').update(text).digest('hex');
    if (operation === 'SendMessageBatch') {
      return json(200, {
        Successful: (input.Entries as { Id: string; MessageBody: string }[]).map((entry) => ({
          Id: entry.Id,
          MessageId: randomUUID(),
          MD5OfMessageBody: md5(entry.MessageBody),
        })),
        Failed: [],
      });
    }
    if (operation === 'SendMessage') {
      return json(200, { MessageId: randomUUID(), MD5OfMessageBody: md5(input.MessageBody) });
    }
    return json(400, { __type: 'com.amazonaws.sqs#UnsupportedOperation', message: operation });
  }

  private async answerS3(request: StubRequest): Promise<StubResponse> {
    const { bucket, upload } = this.options;
    const key = decodeURIComponent(request.path.replace(`/${bucket}/`, '').replace(`/${bucket}`, ''));
    const query = request.query ?? {};
    const eTag = { etag: upload.eTag };
    if (request.method === 'HEAD' || (request.method === 'GET' && key === upload.key)) {
      const size = statSync(upload.path).size;
      const headers = { 'content-length': String(size), 'content-type': upload.contentType, ...eTag };
      const body = request.method === 'HEAD' ? new Uint8Array() : createReadStream(upload.path);
      return { statusCode: 200, headers, body };
    }
    if (request.method === 'GET' && 'list-type' in query) {
      const prefix = String(query.prefix ?? '');
      const contents = [...this.partSizes.entries()]
        .filter(([name]) => name.startsWith(prefix))
        .map(([name, size]) => `<Contents><Key>${name}</Key><Size>${size}</Size></Contents>`);
      return xml(
        `<ListBucketResult><Name>${bucket}</Name><Prefix>${prefix}</Prefix><KeyCount>${contents.length}</KeyCount><IsTruncated>false</IsTruncated>${contents.join('')}</ListBucketResult>`,
      );
    }
    if (request.method === 'GET') {
      // A result part: the same number of bytes it was written with (the bytes themselves are not kept).
      const size = this.partSizes.get(key) ?? 0;
      return {
        statusCode: 200,
        headers: { 'content-length': String(size), ...eTag },
        body: Readable.from([Buffer.alloc(size, 0x61)]),
      };
    }
    if (request.method === 'POST' && 'uploads' in query) {
      return xml(
        `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><UploadId>mp-1</UploadId></InitiateMultipartUploadResult>`,
      );
    }
    if (request.method === 'POST' && 'uploadId' in query) {
      return xml(
        `<CompleteMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><ETag>"done"</ETag></CompleteMultipartUploadResult>`,
      );
    }
    if (request.method === 'PUT') {
      const size = (await bodyBytes(request.body)).length;
      if (!('uploadId' in query)) this.partSizes.set(key, size);
      return { statusCode: 200, headers: { etag: `"${randomUUID()}"` }, body: new Uint8Array() };
    }
    return xml('<Error><Code>NotImplemented</Code></Error>');
  }
}

const hashKey = (hash: string) => Number.parseInt(hash.slice(0, 13), 16);
