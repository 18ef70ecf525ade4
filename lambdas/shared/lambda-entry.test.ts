import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lambdaEntry } from './lambda-entry';
import { createLogger } from './logger';

const context = {
  awsRequestId: 'req-123',
  functionName: 'proleads-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:proleads-test',
  memoryLimitInMB: '512',
} as Context;

describe('lambdaEntry', () => {
  afterEach(() => vi.restoreAllMocks());

  it('puts the invocation context on every log line of the function', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const handler = lambdaEntry(() => {
      const logger = createLogger({ POWERTOOLS_SERVICE_NAME: 'proleads-test' });
      return async (event: { id: string }) => {
        logger.info('handled', { id: event.id });
        return event.id;
      };
    });
    expect(await handler({ id: 'a' }, context)).toBe('a');
    const line = JSON.parse(lines.find((text) => text.includes('"handled"')) ?? '{}');
    expect(line).toMatchObject({
      message: 'handled',
      function_request_id: 'req-123',
      function_name: 'proleads-test',
    });
  });

  it('passes a failure through unchanged', async () => {
    const failure = new Error('boom');
    const handler = lambdaEntry(() => async () => {
      throw failure;
    });
    await expect(handler({}, context)).rejects.toBe(failure);
  });
});
