import { describe, expect, it } from 'vitest';
import { bodyPassesModel } from './request-validation';

const model = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  type: 'object',
  properties: { name: { type: 'string', minLength: 1 }, size: { type: 'integer', minimum: 1 } },
  required: ['name'],
  additionalProperties: false,
};

describe("the front door's body check (API Gateway's request validator)", () => {
  it('passes a JSON body the model accepts, with or without a Content-Type', () => {
    expect(bodyPassesModel(model, 'application/json; charset=utf-8', '{"name":"a","size":2}')).toBe(true);
    expect(bodyPassesModel(model, undefined, '{"name":"a"}')).toBe(true);
  });

  it.each([
    ['a missing required key', '{"size":2}'],
    ['a wrong type', '{"name":"a","size":"2"}'],
    ['a value out of bounds', '{"name":"a","size":0}'],
    ['an unknown key', '{"name":"a","colour":"red"}'],
    ['JSON that does not parse', '{"name":'],
  ])('refuses %s', (_, body) => {
    expect(bodyPassesModel(model, 'application/json', body)).toBe(false);
  });

  it('leaves bodies of another media type and empty bodies to the function', () => {
    expect(bodyPassesModel(model, 'text/csv', 'email,name\n')).toBe(true);
    expect(bodyPassesModel(model, 'application/json', '')).toBe(true);
  });
});
