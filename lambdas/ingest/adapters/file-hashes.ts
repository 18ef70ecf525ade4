import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditional } from '../../shared/counting-claim';
import { type FileHashItem, fileHashKey, type UploadItem, uploadKey } from '../../shared/model';

export type FileClaim = { owner: 'this-upload' } | { duplicateOf: string };

/**
 * Claims a file's content hash for an upload, so a byte-identical re-upload is refused.
 * Steps: conditional put (new, or already ours) -> else read the owner -> an owner that failed gives the
 * claim up (the admin is retrying the same file after a failure) -> else the upload is a duplicate of it.
 */
export const claimFileHash = async (
  doc: DynamoDBDocumentClient,
  table: string,
  sha256: string,
  uploadId: string,
  now: () => number = Date.now,
): Promise<FileClaim> => {
  const key = fileHashKey(sha256);
  for (let attempt = 0; attempt < 3; attempt++) {
    const item: FileHashItem = { ...key, sk: 'FILE', uploadId, claimedAt: new Date(now()).toISOString() };
    const claimed = await conditional(
      doc.send(
        new PutCommand({
          TableName: table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk) OR uploadId = :uploadId',
          ExpressionAttributeValues: { ':uploadId': uploadId },
        }),
      ),
    );
    if (claimed) return { owner: 'this-upload' };

    const owner = (await doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true })))
      .Item as FileHashItem | undefined;
    if (!owner) continue; // never deleted in practice; claim again
    const ownerUpload = (
      await doc.send(
        new GetCommand({ TableName: table, Key: uploadKey(owner.uploadId), ConsistentRead: true }),
      )
    ).Item as UploadItem | undefined;
    if (ownerUpload && ownerUpload.state !== 'failed') return { duplicateOf: owner.uploadId };
    const takenOver = await conditional(
      doc.send(
        new UpdateCommand({
          TableName: table,
          Key: key,
          UpdateExpression: 'SET uploadId = :uploadId, claimedAt = :now',
          ConditionExpression: 'uploadId = :previous',
          ExpressionAttributeValues: {
            ':uploadId': uploadId,
            ':previous': owner.uploadId,
            ':now': new Date(now()).toISOString(),
          },
        }),
      ),
    );
    if (takenOver) return { owner: 'this-upload' };
  }
  throw new Error(`The content-hash claim of upload ${uploadId} kept changing hands`);
};
