import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type PutItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClientConfig } from '../lambdas/shared/aws';
import { type Emulators, startEmulators } from './emulators';

const TABLE = 'ChannelLeads';
const env = (emulators: Emulators) => ({
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_ENDPOINT_URL_DYNAMODB: emulators.endpoints.DYNAMODB,
});

const claim = (hash: string, row: number): PutItemCommandInput => ({
  TableName: TABLE,
  Item: { hash: { S: hash }, row: { N: String(row) } },
  ConditionExpression: 'attribute_not_exists(#hash) OR #row = :row',
  ExpressionAttributeNames: { '#hash': 'hash', '#row': 'row' },
  ExpressionAttributeValues: { ':row': { N: String(row) } },
});

const errorName = (promise: Promise<unknown>) =>
  promise.then(
    () => 'none',
    (error: Error) => error.name,
  );

describe("the local runtime's DynamoDB clients", () => {
  let emulators: Emulators;
  let overChannel: DynamoDBClient;
  let overHttp: DynamoDBClient;

  beforeAll(async () => {
    emulators = await startEmulators();
    overChannel = new DynamoDBClient(awsClientConfig(env(emulators), 'DYNAMODB'));
    const { requestHandler, signer, ...http } = awsClientConfig(env(emulators), 'DYNAMODB');
    overHttp = new DynamoDBClient(http);
    await overHttp.send(
      new CreateTableCommand({
        TableName: TABLE,
        KeySchema: [{ AttributeName: 'hash', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'hash', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  afterAll(async () => {
    overChannel.destroy();
    overHttp.destroy();
    await emulators.stop();
  });

  it('are handed the dynalite worker channel as their request handler', () => {
    const config = awsClientConfig(env(emulators), 'DYNAMODB');
    expect(config.requestHandler).toBeDefined();
    expect(config.signer).toBeDefined();
    expect(config.endpoint).toBe(emulators.endpoints.DYNAMODB);
  });

  it('write and read the same data as clients over HTTP', async () => {
    await overChannel.send(new PutItemCommand(claim('a', 1)));
    const { Item } = await overHttp.send(new GetItemCommand({ TableName: TABLE, Key: { hash: { S: 'a' } } }));
    expect(Item).toEqual({ hash: { S: 'a' }, row: { N: '1' } });
    await overHttp.send(new PutItemCommand(claim('b', 2)));
    const read = await overChannel.send(new GetItemCommand({ TableName: TABLE, Key: { hash: { S: 'b' } } }));
    expect(read.Item).toEqual({ hash: { S: 'b' }, row: { N: '2' } });
  });

  it("get dynalite's refusals as the SDK's named errors, as over HTTP", async () => {
    for (const client of [overChannel, overHttp]) {
      expect(await errorName(client.send(new PutItemCommand(claim('a', 1))))).toBe('none');
      expect(await errorName(client.send(new PutItemCommand(claim('a', 9))))).toBe(
        'ConditionalCheckFailedException',
      );
      expect(
        await errorName(client.send(new PutItemCommand({ ...claim('c', 1), TableName: 'Missing' }))),
      ).toBe('ResourceNotFoundException');
      expect(
        await errorName(
          client.send(new PutItemCommand({ ...claim('c', 1), ConditionExpression: 'row = :row' })),
        ),
      ).toBe('ValidationException');
    }
  });
});

it('configures DynamoDB clients for HTTP again once the emulators stopped', async () => {
  const emulators = await startEmulators();
  const running = awsClientConfig(env(emulators), 'DYNAMODB');
  await emulators.stop();
  const stopped = awsClientConfig(env(emulators), 'DYNAMODB');
  expect(running.requestHandler).toBeDefined();
  expect(stopped).toEqual({
    region: 'us-east-1',
    endpoint: emulators.endpoints.DYNAMODB,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
