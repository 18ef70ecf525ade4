import { describe, expect, it } from 'vitest';
import { QUIET_ENV, useLocalStack } from '../support/local-stack';

/**
 * Request models through the local front door: a body its method's model refuses gets API Gateway's
 * BAD_REQUEST_BODY answer (400, JSON, CORS header) and never reaches the function; a body the model takes
 * still meets the function's own checks.
 */
describe('request bodies are checked against the API Gateway models before the function runs', () => {
  const stack = useLocalStack({
    env: QUIET_ENV,
  });
  const post = async (path: string, body: string, contentType = 'application/json') => {
    const token = await stack.current.identity.mint({ sub: 'admin-1', role: 'admin' });
    return fetch(`${stack.current.url}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
      body,
    });
  };
  const schedule = { name: 'models', kind: 'weekly', dayOfWeek: 'MON', time: '09:00', timeZone: 'UTC' };

  it.each([
    ['a missing required key', { ...schedule, name: undefined }],
    ['an unknown key', { ...schedule, colour: 'red' }],
    ['a value outside an enumeration', { ...schedule, kind: 'yearly' }],
    ['a wrong type', { ...schedule, enabled: 'yes' }],
  ])('answers %s as API Gateway does: 400, its JSON message, the CORS origin', async (_, body) => {
    const response = await post('/admin/schedules', JSON.stringify(body));
    expect(response.status).toBe(400);
    expect(response.headers.get('access-control-allow-origin')).toBe(stack.current.config.adminOrigin);
    expect(await response.json()).toEqual({ error: 'BadRequest', message: 'The request body is invalid' });
  });

  it('refuses JSON that does not parse the same way', async () => {
    const response = await post('/admin/uploads', '{"fileName": "leads.csv", ');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'BadRequest', message: 'The request body is invalid' });
  });

  it.each([
    [
      'a number out of range',
      { ...schedule, kind: 'monthly', dayOfWeek: undefined, dayOfMonth: 31 },
      'dayOfMonth',
    ],
    ['an unknown time zone', { ...schedule, timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
  ])("lets %s through to the function's own checks (its 400 names the field)", async (_, body, field) => {
    const response = await post('/admin/schedules', JSON.stringify(body));
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { details: { errors: { field: string }[] } };
    expect(answer.details.errors).toContainEqual(expect.objectContaining({ field }));
  });

  it('names the time zone the function refused', async () => {
    const response = await post(
      '/admin/schedules',
      JSON.stringify({ ...schedule, timeZone: 'Mars/Olympus_Mons' }),
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string; details: { errors: { field: string }[] } };
    expect(body.message).toContain('is not a known IANA time zone');
    expect(body.details.errors).toContainEqual(expect.objectContaining({ field: 'timeZone' }));
  });
});
