import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../lambdas/api-routes';
import { loadEvent } from '../support/events';
import { useLocalStack } from '../support/local-stack';

/** The admin API serves every admin route the API Gateway template declares (and the router knows them all). */
describe('admin API routes', () => {
  const stack = useLocalStack({ env: { POWERTOOLS_LOG_LEVEL: 'ERROR' } });

  it.each(ROUTES.filter((route) => route.auth === 'admin').map((route) => [route.method, route.path]))(
    '%s %s reaches a handler',
    async (method, path) => {
      const event = loadEvent<APIGatewayProxyEvent>('api-gateway/admin-health.json');
      event.httpMethod = method;
      event.resource = path;
      event.path = path.replace(/\{[^}]+\}/g, '01JDXZB5H2N4M6P8R0T2V4X6Z8');
      event.pathParameters = path.includes('{id}') ? { id: '01JDXZB5H2N4M6P8R0T2V4X6Z8' } : null;
      event.body = method === 'GET' || method === 'DELETE' ? null : '{}';
      const [adminApi] = stack.current.lambdas.functionsOf('admin-api');
      const result = (await stack.current.lambdas.invoke(adminApi ?? '', event)) as APIGatewayProxyResult;
      expect(result.statusCode).toBeLessThan(500);
      expect(JSON.parse(result.body || '{}').message ?? '').not.toMatch(/^No route/);
    },
  );
});
