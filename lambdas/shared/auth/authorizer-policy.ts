import type { APIGatewayAuthorizerResult } from 'aws-lambda';

/** API Gateway turns exactly this error message, thrown by a Lambda authorizer, into a 401. */
export const UNAUTHORIZED = 'Unauthorized';

/** A Lambda authorizer's answer: one execute-api statement, and the context passed on to the route. */
export const authorizerPolicy = (
  principalId: string,
  effect: 'Allow' | 'Deny',
  resource: string,
  context?: Record<string, string>,
): APIGatewayAuthorizerResult => ({
  principalId,
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
  },
  ...(context ? { context } : {}),
});
