import http, { type Server } from 'node:http';
import net from 'node:net';
import { eventually } from '../helpers/cli.js';
import { APP, form } from '../helpers/mantun.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { healthAnswers } from '../security/hostile.js';
import { settledHeap } from './fuzz-http.js';

/**
 * Review finding M4, the attacker's way: 40 event-stream clients that never read (paused raw
 * sockets), then 1 000 platform requests whose journal entries are about 16 KB each. Every stalled
 * stream is dropped once a megabyte waits for it, memory stays flat, and a client that reads gets
 * every event.
 */

const STALLED = 40;
const REQUESTS = 1000;

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox({ journalSize: 100 });
});
afterAll(() => t.close());

const serverConnections = (): Promise<number> =>
  new Promise((resolve, reject) =>
    (t.sb.sandbox as unknown as { host: { servers: Server[] } }).host.servers[0].getConnections((e, n) => (e ? reject(e) : resolve(n))),
  );

/** A client that opens the stream and never reads a byte of it. */
function stalledReader(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(`GET /__sandbox/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
      socket.pause();
      resolve(socket);
    });
    socket.on('error', () => undefined);
    socket.once('error', reject);
  });
}

test(`${STALLED} stalled streams are dropped as ${REQUESTS} large entries pass; memory stays flat; a reading client gets them all`, async () => {
  const port = t.sb.port;
  const heapBefore = await settledHeap();
  let received = 0;
  const reader = http.get({ host: '127.0.0.1', port, path: '/__sandbox/events', agent: false }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (c: string) => (received += c.split('\nevent: request\n').length - 1));
  });
  reader.on('error', () => undefined);
  const stalled = await Promise.all(Array.from({ length: STALLED }, () => stalledReader(port)));
  await eventually('every stream to be open', async () => ((await serverConnections()) >= STALLED + 1 ? true : undefined));
  const open = await serverConnections();

  const big = 'x'.repeat(4000);
  const body = form({ response_type: 'code', client_id: APP.appKey, redirect_uri: APP.redirectUri, uname: big, passwd: big, state: big, scope: big });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const r = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/oauth/authverify2.as',
          agent,
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', resolve);
        },
      );
      r.on('error', reject);
      r.end(body);
    });
  for (let i = 0; i < REQUESTS; i += 8) await Promise.all(Array.from({ length: Math.min(8, REQUESTS - i) }, post));
  agent.destroy();

  // The sandbox dropped every stalled stream (its sockets are gone from the server), not the reading one.
  await eventually('the stalled streams to be dropped', async () => ((await serverConnections()) <= open - STALLED ? true : undefined));
  await eventually(`all ${REQUESTS} request events at the reading client`, () => (received >= REQUESTS ? true : undefined));
  expect(received).toBe(REQUESTS);
  await healthAnswers(t.sb.url);
  const grown = (await settledHeap()) - heapBefore;
  process.stdout.write(
    `event-stream-stall: ${STALLED} stalled streams dropped, heap grew ${(grown / 2 ** 20).toFixed(1)} MiB over ${REQUESTS} requests of ~16 KB entries\n`,
  );
  // Unbounded, the review measured +520 MiB for the same load.
  expect(grown).toBeLessThan(48 * 2 ** 20);
  reader.destroy();
  for (const s of stalled) s.destroy();
}, 60_000);
