import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { escapeFormula } from '../../shared/csv-escape';
import { resultObjectKey } from '../../shared/model';
import type { ResultRow, ResultSink } from '../domain/ports';

export const RESULT_CONTENT_TYPE = 'text/csv; charset=utf-8';
/** Columns put before the original ones, so they line up even on rows with a wrong field count. */
export const RESULT_COLUMNS = ['row', 'status', 'reason'] as const;
/** S3's smallest multipart part is 5 MiB; bigger parts mean fewer requests. */
const PART_BYTES = 8 * 1024 * 1024;
/** Chunk part objects fetched ahead while the file is assembled. */
const READ_AHEAD = 8;
/** Excel reads a CSV without a byte order mark as Windows-1252. */
const BOM = '\uFEFF';

export const resultPartsPrefix = (uploadId: string) => `results/parts/${uploadId}/`;
const pad = (row: number) => String(row).padStart(9, '0');
const PART_NAME = /(\d{9})-(\d{9})\.csv$/;

/**
 * The per-row result file, written as the ingest goes: each chunk's rows become one small part object
 * (`results/parts/<upload>/<first>-<last>.csv`: a replayed chunk rewrites the same object, so a crash
 * leaves no duplicate row), and at the end the parts are assembled, in row order, into
 * `results/<upload>.csv` with a multipart upload of 8 MiB parts (one PutObject when small). Assembly
 * starts afresh each time it runs, so it is idempotent; S3's lifecycle aborts an abandoned multipart
 * upload and expires the part objects with the results.
 *
 * Every text cell is escaped against spreadsheet formulas (OWASP CSV injection) before CSV quoting.
 */
export class S3ResultSink implements ResultSink {
  /** Set once the result file exists: the upload item then names it. */
  resultKey: string | undefined;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async writePart(uploadId: string, firstRow: number, rows: readonly ResultRow[]): Promise<void> {
    const lastRow = rows[rows.length - 1]?.row ?? firstRow;
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: `${resultPartsPrefix(uploadId)}${pad(firstRow)}-${pad(lastRow)}.csv`,
        Body: rows.map((row) => csvLine([row.row, row.status, row.reason, ...row.values])).join(''),
        ContentType: RESULT_CONTENT_TYPE,
      }),
    );
  }

  async complete(uploadId: string, header: readonly string[]): Promise<void> {
    const key = resultObjectKey(uploadId);
    const parts = await this.listParts(uploadId);
    const writer = new MultipartWriter(this.s3, this.bucket, key);
    try {
      await writer.write(Buffer.from(BOM + csvLine([...RESULT_COLUMNS, ...header]), 'utf8'));
      for (let start = 0; start < parts.length; start += READ_AHEAD) {
        const bodies = await Promise.all(
          parts.slice(start, start + READ_AHEAD).map((part) => this.read(part)),
        );
        for (const body of bodies) await writer.write(body);
      }
      await writer.close();
    } catch (error) {
      await writer.abort();
      throw error;
    }
    this.resultKey = key;
  }

  /** The chunk parts in row order; a gap or an overlap means a bug upstream, so it fails loudly. */
  private async listParts(uploadId: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: resultPartsPrefix(uploadId),
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    keys.sort();
    let nextRow = 1;
    for (const key of keys) {
      const [, first, last] = PART_NAME.exec(key) ?? [];
      if (Number(first) !== nextRow) {
        throw new Error(`Result parts of upload ${uploadId} do not follow on at row ${nextRow} (${key})`);
      }
      nextRow = Number(last) + 1;
    }
    return keys;
  }

  private async read(key: string): Promise<Buffer> {
    const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!Body) throw new Error(`Result part ${key} has no body`);
    const bytes = await Body.transformToByteArray();
    // A view on the bytes read, not another copy: assembly should hold each part once.
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}

/** One CSV record (RFC 4180, CRLF): numbers as they are, text escaped against formulas, then quoted. */
export const csvLine = (cells: readonly (string | number)[]): string => {
  let line = '';
  for (let index = 0; index < cells.length; index++) {
    const cell = cells[index] as string | number;
    if (index > 0) line += ',';
    line += typeof cell === 'number' ? String(cell) : quote(escapeFormula(cell));
  }
  return `${line}\r\n`;
};

const NEEDS_QUOTES = /[",\r\n]/;
const quote = (value: string) => (NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** Streams bytes into one object: a single PutObject when it stays under a part, else a multipart upload. */
class MultipartWriter {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private uploadId: string | undefined;
  private readonly parts: CompletedPart[] = [];

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly key: string,
  ) {}

  async write(bytes: Buffer): Promise<void> {
    this.buffered.push(bytes);
    this.bufferedBytes += bytes.length;
    if (this.bufferedBytes >= PART_BYTES) await this.flushPart();
  }

  async close(): Promise<void> {
    if (this.uploadId === undefined) {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.key,
          Body: this.take(),
          ContentType: RESULT_CONTENT_TYPE,
        }),
      );
      return;
    }
    if (this.bufferedBytes > 0) await this.flushPart();
    await this.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.bucket,
        Key: this.key,
        UploadId: this.uploadId,
        MultipartUpload: { Parts: this.parts },
      }),
    );
  }

  async abort(): Promise<void> {
    if (this.uploadId === undefined) return;
    await this.s3
      .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: this.uploadId }))
      .catch(() => undefined); // the bucket's lifecycle rule aborts it later anyway
  }

  private async flushPart(): Promise<void> {
    if (this.uploadId === undefined) {
      const { UploadId } = await this.s3.send(
        new CreateMultipartUploadCommand({
          Bucket: this.bucket,
          Key: this.key,
          ContentType: RESULT_CONTENT_TYPE,
        }),
      );
      this.uploadId = UploadId;
    }
    const PartNumber = this.parts.length + 1;
    const { ETag } = await this.s3.send(
      new UploadPartCommand({
        Bucket: this.bucket,
        Key: this.key,
        UploadId: this.uploadId,
        PartNumber,
        Body: this.take(),
      }),
    );
    this.parts.push({ ETag, PartNumber });
  }

  private take(): Buffer {
    const bytes = Buffer.concat(this.buffered);
    this.buffered = [];
    this.bufferedBytes = 0;
    return bytes;
  }
}
