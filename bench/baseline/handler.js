/**
 * The baseline's request handler: a bare node:http handler, no framework, serving a case module's
 * hand-written routes. bench/baseline/server.js serves it on a socket; bench/hotpath.js calls it without one.
 */
const LIMIT = 1024 * 1024;
const JSON_TYPE = 'application/json;charset=UTF-8';

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function baselineHandler(routes, store) {
  return (req, res) => {
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
  };
}
