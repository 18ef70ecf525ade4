import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { loadEvent } from '../support/events';
import { useLocalStack } from '../support/local-stack';

describe('sample events in events/', () => {
  const stack = useLocalStack();

  it('the API Gateway health event drives the admin API function to a 200', async () => {
    const event = loadEvent<APIGatewayProxyEvent>('api-gateway/admin-health.json');
    const [adminApi] = stack.current.lambdas.functionsOf('admin-api');
    const result = (await stack.current.lambdas.invoke(adminApi ?? '', event)) as APIGatewayProxyResult;
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ status: 'ok' });
  });

  it('an unknown route answers a JSON 404, not a 500', async () => {
    const event = loadEvent<APIGatewayProxyEvent>('api-gateway/admin-health.json');
    event.resource = '/admin/nothing-here';
    const [adminApi] = stack.current.lambdas.functionsOf('admin-api');
    const result = (await stack.current.lambdas.invoke(adminApi ?? '', event)) as APIGatewayProxyResult;
    expect(result.statusCode).toBe(404);
    expect(JSON.parse(result.body)).toMatchObject({ error: 'NotFound' });
  });
});
