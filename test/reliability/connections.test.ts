import type { Server } from 'node:http';
import net from 'node:net';
import { eventually, spawnSandbox } from '../helpers/cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { healthAnswers } from '../security/hostile.js';

/**
 * Review finding M5: with Node's defaults (headers 60 s, whole request 300 s, checked every 30 s, no
 * connection cap), idle and slowloris sockets held the server for minutes and, at a 1024 fd limit,
 * blocked every new client. Now connections are capped below the open-file limit and slow clients are
 * let go within seconds. These tests set short timeouts and a small cap to show the behaviour without
 * waiting minutes; the defaults are checked on the server itself.
 */

interface Slow {
  socket: net.Socket;
  /** Everything the server sent, and whether the server closed the connection. */
  received: () => string;
  closed: Promise<void>;
}

/** A client that connects and then sends `first`, then one more byte of `drip` every 100 ms, for ever. */
function slowClient(port: number, first: string, drip: string): Promise<Slow> {
  return new Promise((resolve, reject) => {
    let got = '';
    const socket = net.connect(port, '127.0.0.1');
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (c: Buffer) => (got += c.toString('latin1')));
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      socket.write(first);
      let i = 0;
      timer = setInterval(() => {
        if (!socket.destroyed) socket.write(drip[i++ % drip.length]);
      }, 100);
      resolve({ socket, received: () => got, closed });
    });
    socket.once('close', () => clearInterval(timer));
    socket.once('error', reject);
  });
}

const serverOf = (t: TestSandbox) => (t.sb.sandbox as unknown as { host: { servers: Server[] } }).host.servers[0];

test('the defaults are set where the server listens: 10 s for the head, 30 s for the whole request, checked every second, and a connection cap below the fd limit', async () => {
  const t = await startTestSandbox();
  try {
    const server = serverOf(t);
    expect([server.headersTimeout, server.requestTimeout]).toEqual([10_000, 30_000]);
    expect(server.maxConnections).toBe(t.sb.sandbox.options.maxConnections);
    expect(server.maxConnections).toBeGreaterThanOrEqual(16);
    expect(server.maxConnections).toBeLessThanOrEqual(10_000);
  } finally {
    await t.close();
  }
});

describe('slow clients are let go, and the cap keeps the rest of the descriptors', () => {
  let t: TestSandbox;
  beforeEach(async () => {
    // One client may hold the whole cap here: these tests show the cap and the timeouts (per-client-connections.test.ts the rest).
    t = await startTestSandbox({ maxConnections: 20, maxConnectionsPerClient: 20, headersTimeout: 1000, requestTimeout: 2000 });
  });
  afterEach(() => t.close());

  test('20 slowloris clients fill the cap; the 21st connection is closed at once; the slow ones get 408 and then everyone is served', async () => {
    const port = t.sb.port;
    const loris = await Promise.all(
      Array.from({ length: 20 }, () => slowClient(port, `GET /__sandbox/clock HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`, 'X-a: b\r\n')),
    );
    const extra = await slowClient(port, 'GET /__sandbox/health HTTP/1.1\r\nHost: x\r\n\r\n', ' ');
    await extra.closed;
    expect(extra.received()).toBe('');
    // headersTimeout: each gets Node's 408 and its socket closed, within the test's budget (not minutes).
    await Promise.all(loris.map((l) => l.closed));
    for (const l of loris) expect(l.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    await healthAnswers(t.sb.url);
  });

  test('a body dribbled a byte at a time is cut at requestTimeout with 408', async () => {
    const port = t.sb.port;
    const dribble = await slowClient(
      port,
      `POST /oauth/token.as HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n`,
      'a',
    );
    await dribble.closed;
    expect(dribble.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    await healthAnswers(t.sb.url);
  });
});

test('sandbox start --max-connections 5: the sixth connection is closed at once, and the log says which cap and how to raise it', async () => {
  const sb = await spawnSandbox(['start', '--port', '0', '--quiet', '--max-connections', '5', '--max-connections-per-client', '5']);
  const port = Number(new URL(sb.url).port);
  const idle: net.Socket[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      const s = net.connect(port, '127.0.0.1');
      await new Promise((resolve) => s.once('connect', resolve));
      idle.push(s);
    }
    const sixth = await slowClient(port, 'GET /__sandbox/health HTTP/1.1\r\nHost: x\r\n\r\n', ' ');
    await sixth.closed;
    expect(sixth.received()).toBe('');
    await eventually('the warning', () => (sb.output().includes('refused connections') ? true : undefined), 5000);
    expect(sb.output()).toContain(
      'warning: refused connections: 5 are open, the cap (--max-connections, maxConnections); raise it, or look for a client that keeps connections open',
    );
  } finally {
    for (const s of idle) s.destroy();
    expect(await sb.stop()).toBe(0);
  }
});

test('a stop is bounded: close() cuts a client still dribbling its body a few seconds after the listener closed (SIGTERM runs close())', async () => {
  const t = await startTestSandbox();
  const port = t.sb.port;
  // Once its head is in, the request is in flight (node:http emits 'request'): close() waits for it, and with
  // the default 30 s request timeout (300 s before) it would wait that long.
  const [server] = (t.sb.sandbox as unknown as { host: { servers: Server[] } }).host.servers;
  const inFlight = new Promise((resolve) => server!.once('request', resolve));
  const dribble = await slowClient(
    port,
    `POST /oauth/token.as HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n`,
    'a',
  );
  await inFlight;
  await t.close();
  await dribble.closed;
  expect(dribble.socket.destroyed).toBe(true);
});
