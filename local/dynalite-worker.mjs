// dynalite (the DynamoDB emulator) on its own thread, so its request parsing and storage use the second core
// while the functions run on the main one. Plain JavaScript: a worker loads it without a TypeScript loader.
//
// It answers two ways: over HTTP on its port (any client), and over the worker's message channel, which the
// local runtime's own SDK clients use. A request on the channel goes through dynalite's own request
// handler (same checks, same answers), only without the sockets and HTTP parsing on either side.
import { EventEmitter } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';
import { rememberDynaliteParses } from './dynalite-expression-cache.mjs';
import { rememberDynaliteTables } from './dynalite-table-cache.mjs';

rememberDynaliteParses();
rememberDynaliteTables();

const server = dynalite(workerData.options);
const handleRequest = server.listeners('request')[0];

// Answers go back in one message per turn of the event loop, as the requests come (see dynalite-channel.ts).
let outbox = [];
const send = (answer) => {
  if (outbox.length === 0)
    setImmediate(() => {
      const answers = outbox;
      outbox = [];
      parentPort.postMessage({ answers });
    });
  outbox.push(answer);
};

/** The parts of a response dynalite's handler writes: status, headers, one body. */
class ChannelResponse {
  statusCode = 200;
  headers = {};
  constructor(id) {
    this.id = id;
  }
  setHeader(name, value) {
    this.headers[name.toLowerCase()] = String(value);
  }
  end(body) {
    send({ id: this.id, statusCode: this.statusCode, headers: this.headers, body: body ?? '' });
  }
}

const answer = ({ id, method, url, headers, body }) => {
  const request = Object.assign(new EventEmitter(), { method, url, headers });
  try {
    handleRequest(request, new ChannelResponse(id));
    if (body) request.emit('data', Buffer.from(body));
    request.emit('end');
  } catch (error) {
    send({ id, error: error instanceof Error ? error.message : String(error) });
  }
};

server.once('error', (error) =>
  parentPort.postMessage({ error: { message: error.message, code: error.code } }),
);
server.listen(workerData.port, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (message) => {
  if (message?.requests) return message.requests.forEach(answer);
  if (message !== 'close') return;
  server.closeAllConnections?.();
  server.close(() => parentPort.close());
});
