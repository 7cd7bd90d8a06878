/**
 * The baseline: a bare node:http server, no framework. Without --platform it only answers
 * /__sandbox/health (the start-up and idle-RSS reference); with --platform it serves that case
 * module's hand-written handlers: the practical limit of this machine for the same work.
 *
 *   node bench/baseline/server.js --port 0 --quiet [--platform mantun --spec '{"case":"mantun.token","pool":1000,"filler":0}']
 */
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    quiet: { type: 'boolean', default: false },
    platform: { type: 'string' },
    spec: { type: 'string', default: '{}' },
  },
});
const LIMIT = 1024 * 1024;
const JSON_TYPE = 'application/json;charset=UTF-8';

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

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const url = req.url;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path === '/__sandbox/health') return send(res, 200, JSON_TYPE, `{"status":"ok","tokens":${store ? store.size : 0}}`);
  const route = routes[`${req.method} ${path}`];
  if (!route) return send(res, 404, JSON_TYPE, '{"error":"not_found"}');
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size <= LIMIT) chunks.push(c);
  });
  req.on('end', () => {
    if (size > LIMIT) return send(res, 413, JSON_TYPE, '{"error":"too_large"}');
    const ct = req.headers['content-type'] ?? '';
    const semi = ct.indexOf(';');
    const reply = route({
      body: (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8'),
      contentType: (semi < 0 ? ct : ct.slice(0, semi)).trim().toLowerCase(),
      query: q < 0 ? '' : url.slice(q + 1),
      headers: req.headers,
    });
    send(res, reply.status, reply.type, reply.body);
  });
});

server.listen(Number(args.port), '127.0.0.1', () => {
  const { port } = server.address();
  process.stdout.write(`Baseline ready at http://127.0.0.1:${port}\n`);
});
// The runner owns this process: when its pipe closes (runner gone), go too.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
