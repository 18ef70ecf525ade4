import { type AddressInfo, createServer, type Server } from 'node:net';

/**
 * Starts `server` on the loopback interface (any free port when `port` is 0) and answers its base URL. A port
 * in use rejects, so that the caller can say so, instead of crashing on an unhandled 'error'.
 */
export const listenOnLoopback = async (server: Server, port = 0): Promise<string> => {
  if (!server.listening)
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

/** A port free on the loopback interface a moment ago, for a process about to be started on it. */
export const freeLoopbackPort = async (): Promise<number> => {
  const server = createServer();
  const port = Number(new URL(await listenOnLoopback(server)).port);
  await new Promise((resolve) => server.close(resolve));
  return port;
};
