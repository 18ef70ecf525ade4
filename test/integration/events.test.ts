import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { OverviewSchema } from '../../lambdas/functions/admin-api/answers';
import { loadEvent } from '../support/events';
import { useLocalStack } from '../support/local-stack';

describe('sample events in events/', () => {
  // A stack of its own: the watchdog's verdict reads the global counters, which other files' members change.
  const stack = useLocalStack({ fresh: true });

  it('the API Gateway health event drives the admin API function to a 200', async () => {
    const event = loadEvent<APIGatewayProxyEvent>('api-gateway/admin-health.json');
    const [adminApi] = stack.current.lambdas.functionsOf('admin-api');
    const result = (await stack.current.lambdas.invoke(adminApi ?? '', event)) as APIGatewayProxyResult;
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ status: 'ok' });
  });

  it('the API Gateway overview event drives the admin API function to an overview', async () => {
    const event = loadEvent<APIGatewayProxyEvent>('api-gateway/admin-overview.json');
    const [adminApi] = stack.current.lambdas.functionsOf('admin-api');
    const result = (await stack.current.lambdas.invoke(adminApi ?? '', event)) as APIGatewayProxyResult;
    expect(result.statusCode).toBe(200);
    expect(OverviewSchema.parse(JSON.parse(result.body)).leads.pendingVerification).toBe(0);
  });

  it("EventBridge's scheduled event drives the scheduler watchdog to a verdict", async () => {
    const [watchdog] = stack.current.lambdas.functionsOf('scheduler-watchdog');
    const result = await stack.current.lambdas.invoke(
      watchdog ?? '',
      loadEvent('eventbridge/watchdog-tick.json'),
    );
    // A fresh stack has no schedule: degraded (nothing distributes by itself), nothing overdue.
    expect(result).toEqual({ verdict: 'degraded', overdueSchedules: 0, supplyWeeksLeft: null });
  });

  it("EventBridge's scheduled event drives the stale-upload sweeper to a pass", async () => {
    const [sweeper] = stack.current.lambdas.functionsOf('stale-upload-sweeper');
    const result = await stack.current.lambdas.invoke(
      sweeper ?? '',
      loadEvent('eventbridge/stale-upload-sweep-tick.json'),
    );
    // Nothing has been stuck for the stale time on a stack that just started.
    expect(result).toMatchObject({ stuck: [], resumed: [], failed: [] });
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
