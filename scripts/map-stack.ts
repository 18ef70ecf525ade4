/**
 * `npm run map-stack -- <index.mjs.map> < trace.txt`: maps a deployed function's stack trace (which names
 * lines of the minified bundle, as the runtime loads no source map) back to the TypeScript sources. The map
 * is the one in the function's code package (download it from the console or `aws lambda get-function`) or
 * in `cdk.out/asset.<hash>/` after `npm run synth`.
 */
import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { text } from 'node:stream/consumers';

const [mapFile] = process.argv.slice(2);
if (!mapFile) {
  console.error('usage: npm run map-stack -- <path to index.mjs.map> < trace.txt');
  process.exit(2);
}
const map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload);

/** `index.mjs:<line>:<column>` (1-based, as printed in a trace) -> `<source>:<line>:<column>`. */
const mapFrame = (line: number, column: number) => {
  const entry = map.findEntry(line - 1, column - 1);
  if (!('originalSource' in entry)) return undefined;
  return `${entry.originalSource}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
};

const trace = await text(process.stdin);
process.stdout.write(
  trace.replace(/(?:file:\/\/)?[^\s()]*index\.mjs:(\d+):(\d+)/g, (frame, line: string, column: string) => {
    return mapFrame(Number(line), Number(column)) ?? frame;
  }),
);
