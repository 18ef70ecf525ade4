import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
} from 'aws-lambda';
import { listenOnLoopback } from './listen';
import { bodyPassesModel, jsonRequestModel, modelSchemasFromTemplate } from './request-validation';
import type { CfnTemplate } from './template';

/** One API Gateway method, read from the template. */
export interface LocalRoute {
  readonly method: string;
  readonly path: string;
  readonly pattern: RegExp;
  readonly paramNames: readonly string[];
  readonly integrationFunctionId?: string;
  readonly mockHeaders?: Record<string, string>;
  readonly authorizerFunctionId?: string;
  readonly apiKeyRequired: boolean;
  /** The JSON Schema API Gateway checks a JSON body against (the method's request model). */
  readonly bodyModel?: object;
}

type Props = Record<string, unknown>;

const findFunctionArnRef = (node: unknown): string | undefined => {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findFunctionArnRef(item);
      if (found) return found;
    }
    return undefined;
  }
  if (node && typeof node === 'object') {
    const record = node as Props;
    const getAtt = record['Fn::GetAtt'];
    if (Array.isArray(getAtt) && getAtt[1] === 'Arn') return String(getAtt[0]);
    for (const value of Object.values(record)) {
      const found = findFunctionArnRef(value);
      if (found) return found;
    }
  }
  return undefined;
};

const refId = (node: unknown): string | undefined => {
  if (node && typeof node === 'object') {
    const record = node as Props;
    if (typeof record.Ref === 'string') return record.Ref;
  }
  return undefined;
};

/** Rebuilds API Gateway's route table (paths, methods, authorizers, API keys, integrations) from the template. */
export const routesFromTemplate = (template: CfnTemplate): LocalRoute[] => {
  const resources = template.Resources;
  const pathOf = (resourceRef: unknown): string => {
    const id = refId(resourceRef);
    if (!id) return ''; // Fn::GetAtt RootResourceId
    const props = (resources[id]?.Properties ?? {}) as Props;
    return `${pathOf(props.ParentId)}/${String(props.PathPart)}`;
  };
  const models = modelSchemasFromTemplate(template);
  const routes: LocalRoute[] = [];
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::ApiGateway::Method') continue;
    const props = (resource.Properties ?? {}) as Props;
    const path = pathOf(props.ResourceId) || '/';
    const paramNames = [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((match) => match[1] as string);
    const pattern = new RegExp(
      `^${path.replace(/\{[^}]+\+\}/g, '(.+)').replace(/\{[^}]+\}/g, '([^/]+)')}/?$`,
    );
    const integration = (props.Integration ?? {}) as Props;
    const authorizerId = refId(props.AuthorizerId);
    const authorizerProps = authorizerId ? ((resources[authorizerId]?.Properties ?? {}) as Props) : undefined;
    const mockResponse = (integration.IntegrationResponses as Props[] | undefined)?.[0];
    routes.push({
      method: String(props.HttpMethod),
      path,
      pattern,
      paramNames,
      integrationFunctionId: integration.Type === 'MOCK' ? undefined : findFunctionArnRef(integration.Uri),
      mockHeaders:
        integration.Type === 'MOCK'
          ? Object.fromEntries(
              Object.entries((mockResponse?.ResponseParameters ?? {}) as Record<string, string>).map(
                ([key, value]) => [key.replace('method.response.header.', ''), value.replace(/^'|'$/g, '')],
              ),
            )
          : undefined,
      authorizerFunctionId: authorizerProps ? findFunctionArnRef(authorizerProps.AuthorizerUri) : undefined,
      apiKeyRequired: props.ApiKeyRequired === true,
      bodyModel: jsonRequestModel(props, models),
    });
  }
  return routes;
};

/** API Gateway's largest request payload: 10 MB. A larger one is refused before anything runs. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

export type Invoke = (functionLogicalId: string, event: unknown) => Promise<unknown>;

export interface LocalAnswer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/** What a local-only route sees of its request. */
export interface LocalRequest {
  readonly method: string;
  /** Lower-case header names. */
  readonly headers: Record<string, string>;
  body(): Promise<string>;
}

export interface FrontDoorOptions {
  readonly routes: readonly LocalRoute[];
  readonly invoke: Invoke;
  /** API keys accepted on routes that require one (the usage plan's keys). */
  readonly apiKeys: () => readonly string[];
  /** The stage's answer to one of API Gateway's own errors (its gateway response, CORS headers included). */
  readonly gatewayError?: (responseType: string, status: number) => LocalAnswer;
  /** Extra local-only paths (e.g. the dev platform JWKS), answered before the API routes; any method. */
  readonly extras?: Record<string, (url: URL, request: LocalRequest) => LocalAnswer | Promise<LocalAnswer>>;
  readonly port?: number;
}

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/** The body, or undefined once it is larger than `limit` bytes (the rest is drained, not kept). */
const readBodyUpTo = async (request: IncomingMessage, limit: number): Promise<string | undefined> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return size > limit ? undefined : Buffer.concat(chunks).toString('utf8');
};

const sendJson = (response: ServerResponse, status: number, error: string, message: string) => {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ error, message }));
};

/** API Gateway's status and built-in message for each of its own errors the front door plays. */
const GATEWAY_ERRORS: Record<string, { status: number; message: string }> = {
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: 'Missing Authentication Token' },
  UNAUTHORIZED: { status: 401, message: 'Unauthorized' },
  ACCESS_DENIED: { status: 403, message: 'User is not authorized to access this resource' },
  INVALID_API_KEY: { status: 403, message: 'Forbidden' },
  REQUEST_TOO_LARGE: { status: 413, message: 'Request Too Long' },
  BAD_REQUEST_PARAMETERS: { status: 400, message: 'Bad Request' },
};

/** Answers one of API Gateway's own errors with the stage's gateway response, or API Gateway's default. */
const sendGatewayError = (
  response: ServerResponse,
  options: FrontDoorOptions,
  responseType: keyof typeof GATEWAY_ERRORS,
) => {
  const { status, message } = GATEWAY_ERRORS[responseType] ?? { status: 400, message: 'Bad Request' };
  const answer = options.gatewayError?.(responseType, status) ?? {
    status,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ message }),
  };
  response.writeHead(answer.status, answer.headers);
  response.end(answer.body);
};

/** Each header's values as sent (Node keeps only the first of a repeated Authorization in `headers`). */
const multiValueHeaderRecord = (request: IncomingMessage): Record<string, string[]> =>
  Object.fromEntries(Object.entries(request.headersDistinct).map(([name, values]) => [name, values ?? []]));

const headerRecord = (request: IncomingMessage): Record<string, string> =>
  Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(',') : (value ?? ''),
    ]),
  );

/**
 * Plays API Gateway on localhost: matches the template's routes, answers CORS preflights from their MOCK
 * integrations, runs the route's Lambda authorizer (an error 'Unauthorized' is 401, a Deny policy 403),
 * then checks the API key (403), then the body against the method's request model (400, the gateway
 * response), then invokes the integration function with a proxy event and relays its
 * answer. API Gateway's own errors answer with the stage's gateway responses (CORS headers included):
 * an unknown route or method is 403 "Missing Authentication Token", a body over 10 MB is 413, a path that
 * does not percent-decode is 400, and two Authorization headers on an authorized route are 401. That is API Gateway's order: its execution logs show the authorizer completing before "Verifying
 * Usage Plan for request", and an API key source of AUTHORIZER could not work otherwise.
 */
export const startFrontDoor = async (options: FrontDoorOptions): Promise<{ url: string; server: Server }> => {
  const server = createServer(async (request, response) => {
    try {
      await handle(request, response, options);
    } catch (error) {
      console.error(JSON.stringify({ level: 'ERROR', message: 'front door failure', error: String(error) }));
      if (!response.headersSent) sendJson(response, 502, 'BadGateway', 'Internal server error');
      else response.end();
    }
  });
  return { url: await listenOnLoopback(server, options.port), server };
};

const handle = async (request: IncomingMessage, response: ServerResponse, options: FrontDoorOptions) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const extra = options.extras?.[url.pathname];
  if (extra) {
    const { status, headers, body } = await extra(url, {
      method: request.method ?? 'GET',
      headers: headerRecord(request),
      body: () => readBody(request),
    });
    response.writeHead(status, headers);
    response.end(body);
    return;
  }
  const method = request.method ?? 'GET';
  const route = options.routes.find(
    (candidate) => candidate.method === method && candidate.pattern.test(url.pathname),
  );
  if (!route) return sendGatewayError(response, options, 'MISSING_AUTHENTICATION_TOKEN');
  if (Number(request.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES) {
    request.resume();
    return sendGatewayError(response, options, 'REQUEST_TOO_LARGE');
  }

  if (route.mockHeaders) {
    response.writeHead(204, route.mockHeaders);
    response.end();
    return;
  }

  const headers = headerRecord(request);
  const multiValueHeaders = multiValueHeaderRecord(request);
  const match = route.pattern.exec(url.pathname);
  let pathParameters: Record<string, string>;
  try {
    pathParameters = Object.fromEntries(
      route.paramNames.map((name, index) => [name, decodeURIComponent(match?.[index + 1] ?? '')]),
    );
  } catch {
    return sendGatewayError(response, options, 'BAD_REQUEST_PARAMETERS');
  }
  const queryStringParameters = url.searchParams.size ? Object.fromEntries(url.searchParams) : null;
  const requestId = randomUUID();
  const methodArn = `arn:aws:execute-api:us-east-1:000000000000:local/v1/${method}${url.pathname}`;

  let authorizerContext: Record<string, unknown> | null = null;
  if (route.authorizerFunctionId) {
    // The identity source is the Authorization header: more than one value is no single credential.
    if ((multiValueHeaders.authorization?.length ?? 0) > 1)
      return sendGatewayError(response, options, 'UNAUTHORIZED');
    const authorizerEvent: APIGatewayRequestAuthorizerEvent = {
      type: 'REQUEST',
      methodArn,
      resource: route.path,
      path: url.pathname,
      httpMethod: method,
      headers,
      multiValueHeaders,
      pathParameters,
      queryStringParameters,
      multiValueQueryStringParameters: null,
      stageVariables: null,
      requestContext: null as unknown as APIGatewayRequestAuthorizerEvent['requestContext'],
    };
    let result: APIGatewayAuthorizerResult;
    try {
      result = (await options.invoke(
        route.authorizerFunctionId,
        authorizerEvent,
      )) as APIGatewayAuthorizerResult;
    } catch (error) {
      if (error instanceof Error && error.message === 'Unauthorized')
        return sendGatewayError(response, options, 'UNAUTHORIZED');
      throw error;
    }
    const allowed = result.policyDocument.Statement.some(
      (statement) => 'Effect' in statement && statement.Effect === 'Allow',
    );
    if (!allowed) return sendGatewayError(response, options, 'ACCESS_DENIED');
    authorizerContext = { ...result.context, principalId: result.principalId };
  }

  if (route.apiKeyRequired && !options.apiKeys().includes(headers['x-api-key'] ?? ''))
    return sendGatewayError(response, options, 'INVALID_API_KEY');

  // A chunked body declares no length: it is counted as it arrives.
  const body = await readBodyUpTo(request, MAX_REQUEST_BYTES);
  if (body === undefined) return sendGatewayError(response, options, 'REQUEST_TOO_LARGE');
  if (route.bodyModel && !bodyPassesModel(route.bodyModel, headers['content-type'], body)) {
    const refusal = options.gatewayError?.('BAD_REQUEST_BODY', 400) ?? {
      status: 400,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: 'Invalid request body' }),
    };
    response.writeHead(refusal.status, refusal.headers);
    response.end(refusal.body);
    return;
  }
  const event: APIGatewayProxyEvent = {
    resource: route.path,
    path: url.pathname,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters,
    multiValueQueryStringParameters: null,
    pathParameters: route.paramNames.length ? pathParameters : null,
    stageVariables: null,
    body: body.length ? body : null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: authorizerContext,
      httpMethod: method,
      path: `/v1${url.pathname}`,
      protocol: 'HTTP/1.1',
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: route.path,
      stage: 'v1',
      identity: {
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        apiKey: headers['x-api-key'] ?? null,
        userAgent: headers['user-agent'] ?? null,
      } as APIGatewayProxyEvent['requestContext']['identity'],
    },
  };
  const result = (await options.invoke(route.integrationFunctionId ?? '', event)) as APIGatewayProxyResult;
  const responseHeaders = { ...result.headers } as Record<string, string>;
  response.writeHead(result.statusCode, responseHeaders);
  response.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
};
