import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { freeLoopbackPort, listenOnLoopback } from './listen';

describe('listening on the loopback interface', () => {
  const servers = [createServer((_, response) => response.end('ok')), createServer()];
  afterEach(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('takes a free port and answers the URL it serves on', async () => {
    const [server] = servers;
    const url = await listenOnLoopback(server as (typeof servers)[number]);

    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(url)).text()).toBe('ok');
  });

  it('rejects with EADDRINUSE when the port is taken, so that the caller can say which', async () => {
    const [first, second] = servers as [(typeof servers)[number], (typeof servers)[number]];
    const taken = Number(new URL(await listenOnLoopback(first)).port);

    await expect(listenOnLoopback(second, taken)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect(second.listening).toBe(false);
  });

  it('finds a free port that a server started next can take', async () => {
    const [server] = servers as [(typeof servers)[number]];
    const port = await freeLoopbackPort();

    expect(await listenOnLoopback(server, port)).toBe(`http://127.0.0.1:${port}`);
  });
});
