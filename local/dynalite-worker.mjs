// dynalite (the DynamoDB emulator) on its own thread, so its request parsing and storage use the second core
// while the functions run on the main one. Plain JavaScript: a worker loads it without a TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';

const server = dynalite(workerData.options);
server.once('error', (error) =>
  parentPort.postMessage({ error: { message: error.message, code: error.code } }),
);
server.listen(workerData.port, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (message) => {
  if (message !== 'close') return;
  server.closeAllConnections?.();
  server.close(() => parentPort.close());
});
