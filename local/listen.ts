import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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
