// What a function bundle gets for `node:http` (see FUNCTION_BUNDLING in lib/constructs/lambda-function.ts).
// An ES module import of node:http builds its module namespace, which reads every export, and the
// fetch-related ones (WebSocket, MessageEvent...) load Node's undici: about 28 ms of every cold start for a
// module no function uses. This hands over the CommonJS exports instead, read only when used.
module.exports = process.getBuiltinModule('node:http');
