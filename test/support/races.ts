import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Send = DynamoDBDocumentClient['send'];
type SeenCommand = { constructor: { name: string }; input: Record<string, unknown> };

/**
 * Two (or more) contenders meeting at the storage step: a document client around the real one that holds
 * every `write` until `contenders` of them have arrived and, when `read` is given, until that many reads
 * have completed. Both contenders then pass their read before either writes, so only the write's condition
 * can keep a single-use promise. `met()` tells whether the interleaving really happened.
 */
export const raceAtWrite = (
  doc: DynamoDBDocumentClient,
  {
    contenders = 2,
    read,
    write,
  }: {
    contenders?: number;
    read?: (command: SeenCommand) => boolean;
    write: (command: SeenCommand) => boolean;
  },
) => {
  let reads = 0;
  let writes = 0;
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const check = () => {
    if (writes >= contenders && (read === undefined || reads >= contenders)) open();
  };
  const client: Pick<DynamoDBDocumentClient, 'send'> = {
    send: (async (command: Parameters<Send>[0]) => {
      const seen = command as unknown as SeenCommand;
      if (write(seen)) {
        writes += 1;
        check();
        await gate;
        return doc.send(command as never);
      }
      const result = await doc.send(command as never);
      if (read?.(seen)) {
        reads += 1;
        check();
      }
      return result;
    }) as Send,
  };
  return { client, met: () => writes >= contenders && (read === undefined || reads >= contenders) };
};

/** Whether a command's key, item or queried partition (`:pk`) starts with `prefix`. */
export const onPartition = (prefix: string, name: string) => (command: SeenCommand) => {
  const key = (command.input.Key ?? command.input.Item) as { pk?: string } | undefined;
  const queried = (command.input.ExpressionAttributeValues as { ':pk'?: string } | undefined)?.[':pk'];
  return command.constructor.name === name && String(key?.pk ?? queried ?? '').startsWith(prefix);
};
