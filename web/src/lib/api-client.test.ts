import { describe, expect, it } from 'vitest';
import { ApiError, fieldErrorsOf, unwrap } from './api-client';

const answer = (status: number, body?: unknown) => {
  const response = new Response(body === undefined ? null : JSON.stringify(body), { status });
  return Promise.resolve(response.ok ? { data: body, response } : { error: body, response });
};

describe('unwrap', () => {
  it("turns a refusal into an error carrying the API's message, code and details as they came", async () => {
    const error = await unwrap(
      answer(409, {
        error: 'Conflict',
        message: 'Another request changed the schedule',
        details: { version: 3 },
      }),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 409,
      code: 'Conflict',
      message: 'Another request changed the schedule',
      details: { version: 3 },
    });
  });

  it('names the status when a refusal has no message', async () => {
    await expect(unwrap(answer(502))).rejects.toThrow('The API answered 502');
  });

  it('says the API could not be reached when no answer came', async () => {
    await expect(unwrap(Promise.reject(new TypeError('Failed to fetch')))).rejects.toMatchObject({
      status: 0,
      message: 'The API could not be reached (TypeError: Failed to fetch)',
    });
  });

  it('gives the body of a success, and nothing for an empty one', async () => {
    expect(await unwrap(answer(200, { ok: 1 }))).toEqual({ ok: 1 });
    expect(await unwrap(Promise.resolve({ response: new Response(null, { status: 204 }) }))).toBeUndefined();
  });
});

describe('fieldErrorsOf', () => {
  it('reads field errors from both shapes of details, joining two errors of one field', () => {
    expect(
      fieldErrorsOf(
        new ApiError(400, 'BadRequest', 'Invalid body', [
          { path: 'tier', message: "'gold' is not a configured tier" },
          { path: 'tier', message: 'is required' },
          { path: '', message: 'ignored: no field' },
        ]),
      ),
    ).toEqual({ tier: "'gold' is not a configured tier; is required" });
    expect(
      fieldErrorsOf(
        new ApiError(400, 'BadRequest', 'Invalid schedule', {
          errors: [{ field: 'time', message: 'hour 25' }],
        }),
      ),
    ).toEqual({ time: 'hour 25' });
    expect(fieldErrorsOf(new Error('not from the API'))).toEqual({});
  });
});
