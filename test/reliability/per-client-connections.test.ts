import net from 'node:net';
import { eventually, spawnSandbox } from '../helpers/cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { ClientConnections } from '../../src/server/client-connections.js';
import { raw } from '../security/hostile.js';

/**
 * Audit finding N10: one client that keeps reconnecting slow sockets held the whole connection cap, and
 * 1 health probe in 61 got through. Now one client address holds at most --max-connections-per-client
 * (half the cap by default): another client still gets in while it tries. On loopback every local
 * program is the address 127.0.0.1, so the other client here comes from 127.0.0.2 (all of 127/8 is
 * loopback), as a remote host would from its own address.
 */

/** Connect from `from`; resolves once connected, with a promise that settles when the server closes it. */
function connectFrom(port: number, from: string): Promise<{ socket: net.Socket; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: from });
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

/** Settles with true when the server closes the socket within `ms`, false when it keeps it open. */
const closedWithin = (closed: Promise<void>, ms: number) =>
  Promise.race([closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

describe('a client that fills the cap with idle sockets', () => {
  let t: TestSandbox;
  const held: net.Socket[] = [];
  beforeEach(async () => {
    t = await startTestSandbox({ maxConnections: 20, maxConnectionsPerClient: 8 });
  });
  afterEach(async () => {
    for (const s of held.splice(0)) s.destroy();
    await t.close();
  });

  test('keeps 8 of its 20 sockets; the others are closed at once; another address is served meanwhile', async () => {
    const attempts = await Promise.all(Array.from({ length: 20 }, () => connectFrom(t.sb.port, '127.0.0.1')));
    held.push(...attempts.map((a) => a.socket));
    const closed = await Promise.all(attempts.map((a) => closedWithin(a.closed, 2000)));
    expect(closed.filter((c) => c)).toHaveLength(12);

    const probe = await rawFrom('127.0.0.2', t.sb.port);
    expect(probe).toEqual({ status: 200, status_: 'ok' });
  });

  test('reconnecting as fast as it can, it never gets more: every probe from another address is answered', async () => {
    let stop = false;
    let opened = 0;
    const keepOpening = async () => {
      while (!stop) {
        const c = await connectFrom(t.sb.port, '127.0.0.1').catch(() => undefined);
        if (!c) continue;
        opened++;
        held.push(c.socket);
        await closedWithin(c.closed, 50);
      }
    };
    const attackers = Array.from({ length: 30 }, () => keepOpening());
    const answers: unknown[] = [];
    for (let i = 0; i < 10; i++) {
      answers.push(await rawFrom('127.0.0.2', t.sb.port));
      await new Promise((r) => setTimeout(r, 100));
    }
    stop = true;
    await Promise.all(attackers);
    expect(opened).toBeGreaterThan(30);
    expect(answers).toEqual(Array(10).fill({ status: 200, status_: 'ok' }));
  });

  test('sockets it closes are counted out: it can connect again', async () => {
    const first = await Promise.all(Array.from({ length: 8 }, () => connectFrom(t.sb.port, '127.0.0.1')));
    const ninth = await connectFrom(t.sb.port, '127.0.0.1');
    expect(await closedWithin(ninth.closed, 2000)).toBe(true);
    for (const c of first) c.socket.destroy();
    await Promise.all(first.map((c) => c.closed));
    await eventually('a connection from 127.0.0.1 served again', async () => {
      const answer = await rawFrom('127.0.0.1', t.sb.port).catch(() => undefined);
      return answer?.status === 200 ? true : undefined;
    });
  });
});

/** GET /__sandbox/health from a given source address, answered within 2 s. */
function rawFrom(from: string, port: number): Promise<{ status: number; status_: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: from });
    let text = '';
    const timer = setTimeout(() => socket.destroy(new Error(`no answer within 2 s to a probe from ${from}`)), 2000);
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => (text += c));
    socket.once('connect', () => socket.write(`GET /__sandbox/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`));
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      if (!text) return reject(new Error(`the connection from ${from} was closed without an answer`));
      resolve({ status: Number(text.slice(9, 12)), status_: (JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { status: unknown }).status });
    });
  });
}

test('the default is half the connection cap, so a loopback test suite still opens thousands of connections at once', async () => {
  const t = await startTestSandbox({ maxConnections: 3001 });
  try {
    expect(t.sb.sandbox.options.maxConnectionsPerClient).toBe(1500);
    // 300 parallel requests over 300 connections, all from 127.0.0.1.
    const answers = await Promise.all(Array.from({ length: 300 }, () => raw(t.sb.url, { path: '/__sandbox/health', headers: { connection: 'close' } })));
    expect(answers.map((a) => a.status)).toEqual(Array(300).fill(200));
  } finally {
    await t.close();
  }
});

test('clients are addresses; IPv4 on a dual-stack listener is its IPv4 address; IPv6 counts by /64', () => {
  expect(ClientConnections.clientOf('127.0.0.1')).toBe('127.0.0.1');
  expect(ClientConnections.clientOf('::ffff:10.0.0.7')).toBe('10.0.0.7');
  expect(ClientConnections.clientOf('::1')).toBe('::1');
  expect(ClientConnections.clientOf('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
  expect(ClientConnections.clientOf('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
  expect(ClientConnections.clientOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
  expect(ClientConnections.clientOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
});

test('sandbox start --max-connections-per-client 2: a third connection from one address is closed, and the log names the cap', async () => {
  const sb = await spawnSandbox(['start', '--port', '0', '--quiet', '--max-connections-per-client', '2']);
  const port = Number(new URL(sb.url).port);
  const open: net.Socket[] = [];
  try {
    for (let i = 0; i < 2; i++) open.push((await connectFrom(port, '127.0.0.1')).socket);
    const third = await connectFrom(port, '127.0.0.1');
    expect(await closedWithin(third.closed, 5000)).toBe(true);
    await eventually('the warning', () => (sb.output().includes('refused connections from') ? true : undefined), 5000);
    expect(sb.output()).toContain(
      'warning: refused connections from 127.0.0.1: it holds 2, the per-client cap (--max-connections-per-client, maxConnectionsPerClient); raise it, or look for a client that keeps connections open',
    );
    expect(await rawFrom('127.0.0.2', port)).toEqual({ status: 200, status_: 'ok' });
  } finally {
    for (const s of open) s.destroy();
    expect(await sb.stop()).toBe(0);
  }
});
