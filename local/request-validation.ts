import Ajv, { type ValidateFunction } from 'ajv-draft-04';
import type { LocalAnswer } from './api-gateway';
import { type CfnTemplate, resourcesOfType } from './template';

type Props = Record<string, unknown>;

/** The JSON Schema of each model of the template, by the model's logical id. */
export const modelSchemasFromTemplate = (template: CfnTemplate): Map<string, object> =>
  new Map(
    resourcesOfType(template, 'AWS::ApiGateway::Model').map(([id, resource]) => [
      id,
      (resource.Properties as Props).Schema as object,
    ]),
  );

/** The model a method checks JSON bodies against (its `application/json` request model), if any. */
export const jsonRequestModel = (methodProps: Props, models: Map<string, object>): object | undefined => {
  const ref = (methodProps.RequestModels as Record<string, { Ref?: string }> | undefined)?.[
    'application/json'
  ];
  return ref?.Ref ? models.get(ref.Ref) : undefined;
};

/**
 * A gateway response of the template (status, headers, JSON body) as API Gateway answers it; headers and
 * templates hold literal values here, as ours do.
 */
export const gatewayResponseFromTemplate = (
  template: CfnTemplate,
  responseType: string,
  fallbackStatus: number,
): LocalAnswer => {
  const found = resourcesOfType(template, 'AWS::ApiGateway::GatewayResponse')
    .map(([, resource]) => resource.Properties as Props)
    .find((props) => props.ResponseType === responseType);
  const headers = Object.fromEntries(
    Object.entries((found?.ResponseParameters ?? {}) as Record<string, string>).map(([key, value]) => [
      key.replace('gatewayresponse.header.', ''),
      value.replace(/^'|'$/g, ''),
    ]),
  );
  return {
    status: Number(found?.StatusCode ?? fallbackStatus),
    headers: { 'Content-Type': 'application/json', ...headers },
    body:
      ((found?.ResponseTemplates ?? {}) as Record<string, string>)['application/json'] ??
      JSON.stringify({ message: 'Invalid request body' }),
  };
};

const ajv = new Ajv({ allErrors: false, strict: false, validateFormats: false });
const compiled = new WeakMap<object, ValidateFunction>();

const isJson = (contentType: string | undefined) =>
  !contentType || contentType.split(';')[0]?.trim().toLowerCase() === 'application/json';

/**
 * API Gateway's body validation: a JSON body (Content-Type application/json, or none) is checked against
 * the method's model before the function runs; an unparsable one fails too. A body of another media type
 * (the CSV form of an import) has no model and passes, and so does an empty body, which the function
 * then judges itself. True when the request may go on.
 */
export const bodyPassesModel = (model: object, contentType: string | undefined, body: string): boolean => {
  if (!isJson(contentType) || body.trim() === '') return true;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return false;
  }
  let validate = compiled.get(model);
  if (!validate) {
    validate = ajv.compile(model);
    compiled.set(model, validate);
  }
  return validate(parsed) === true;
};
