import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ContinuationMessage } from '../events';

/** Asks the ingest to go on with an upload later: a message on its own continuation queue. */
export const sendContinuation = async (
  sqs: Pick<SQSClient, 'send'>,
  queueUrl: string,
  message: ContinuationMessage,
  delaySeconds?: number,
): Promise<void> => {
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify(message),
      ...(delaySeconds === undefined ? {} : { DelaySeconds: delaySeconds }),
    }),
  );
};
