import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditional } from '../../shared/counting-claim';
import type { DocumentClient } from '../../shared/dynamo';
import { DEDUPE_SETTING_KEY } from '../../shared/model';

/** The ingest runs with another dedupe-key setting than the lead hashes on the table were made with. */
export class DedupeSettingMismatchError extends Error {
  constructor(recorded: boolean, configured: boolean) {
    super(
      `The lead hashes were made with uploads.foldProviderAliases = ${recorded}, but this ingest runs with ${configured}: ` +
        'every earlier Gmail lead would get another dedupe key, so repeats would pass as new and the other way round. ' +
        `Set uploads.foldProviderAliases back to ${recorded} and deploy; then redrive the upload.`,
    );
    this.name = 'DedupeSettingMismatchError';
  }
}

/**
 * Holds the dedupe key steady over the table's life. The first ingest records whether it folds provider
 * aliases (a conditional put, so two first ingests agree); every ingest after that checks it runs with the
 * same setting and refuses otherwise, before reading a row. Switching it on later would need every existing
 * lead hash re-keyed from the email, which the hashes cannot give back (they are one-way): refusing is the
 * safe choice. A table from before this record existed takes the setting of its first ingest since.
 */
export const checkDedupeSetting = async (
  doc: DocumentClient,
  controlTable: string,
  foldGmailAliases: boolean,
  now: () => number = Date.now,
): Promise<void> => {
  for (let attempt = 0; attempt < 2; attempt++) {
    const { Item } = await doc.send(
      new GetCommand({ TableName: controlTable, Key: DEDUPE_SETTING_KEY, ConsistentRead: true }),
    );
    if (Item) {
      const recorded = Item.foldGmailAliases === true;
      if (recorded !== foldGmailAliases) throw new DedupeSettingMismatchError(recorded, foldGmailAliases);
      return;
    }
    const recordedNow = await conditional(
      doc.send(
        new PutCommand({
          TableName: controlTable,
          Item: { ...DEDUPE_SETTING_KEY, foldGmailAliases, recordedAt: new Date(now()).toISOString() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (recordedNow) return;
  }
};
