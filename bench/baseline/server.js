/**
 * The baseline: a bare node:http server, no framework. Without --platform it only answers
 * /__sandbox/health (the start-up and idle-RSS reference); with --platform it serves that case
 * module's hand-written handlers: the practical limit of this machine for the same work.
 *
 *   node bench/baseline/server.js --port 0 --quiet [--platform mantun --spec '{"case":"mantun.token","pool":1000,"filler":0}']
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import { baselineHandler } from './handler.js';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    quiet: { type: 'boolean', default: false },
    platform: { type: 'string' },
    spec: { type: 'string', default: '{}' },
  },
});
let routes = {};
let store;
if (args.platform) {
  const { randomBytes } = await import('node:crypto');
  const { fillBaseline } = await import('../lib/values.js');
  const mod = await import(`../cases/${args.platform}.js`);
  const spec = JSON.parse(args.spec);
  ({ routes, store } = mod.createBaseline(spec));
  if (spec.filler) {
    // One big random read instead of a million small ones: filling is set-up, not what is measured.
    const bytes = randomBytes(16 * spec.filler);
    let at = 0;
    fillBaseline(store, mod.owner, spec.filler, () => bytes.toString('hex', at, (at += 16)));
  }
}

const server = http.createServer(baselineHandler(routes, store));

server.listen(Number(args.port), '127.0.0.1', () => {
  const { port } = server.address();
  process.stdout.write(`Baseline ready at http://127.0.0.1:${port}\n`);
});
// The runner owns this process: when its pipe closes (runner gone), go too.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
