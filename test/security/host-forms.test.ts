import { connect } from 'node:net';
import { getTokens } from '../helpers/mantun.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { healthAnswers, stateOf } from './hostile.js';

/**
 * Host headers no browser sends must not pass the DNS-rebinding check by a loose reading that finds a
 * loopback name or address inside a foreign one. Each form goes out byte for byte over a raw socket,
 * and is refused before anything runs; the sandbox still answers and its state is what it was.
 */

let t: TestSandbox;
let port: number;
beforeAll(async () => {
  t = await startTestSandbox();
  port = t.sb.port;
  await getTokens(t.http);
});
afterAll(() => t.close());

/** Send `head` as it is (request line and headers), read the whole answer (the server closes after it). */
function exchange(head: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => socket.destroy(new Error(`no answer within 5 s to ${JSON.stringify(head)}`)), 5000);
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (text += c));
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1]);
      const body = text.slice(text.indexOf('\r\n\r\n') + 4);
      resolve({ status, body: JSON.parse(body) });
    });
    socket.write(`${head}Connection: close\r\n\r\n`);
  });
}

const notABrowserHost = (host: string) =>
  `Blocked request: the Host ${JSON.stringify(host)} is not a host name and port as browsers and HTTP clients send them ("name:port", "1.2.3.4:port" or "[::1]:port"); send the name the sandbox was reached at.`;

async function refused(head: string, message: string): Promise<void> {
  const before = await stateOf(t.sb.sandbox);
  expect(await exchange(head)).toEqual({ status: 403, body: { error: 'forbidden', message } });
  await healthAnswers(t.sb.url);
  expect(await stateOf(t.sb.sandbox)).toBe(before);
}

test('a fragment that ends in .localhost: evil.example#.localhost', async () => {
  const host = 'evil.example#.localhost';
  await refused(`GET /__sandbox/export HTTP/1.1\r\nHost: ${host}\r\n`, notABrowserHost(host));
});

test('a name after a bracketed address: [::1]evil.example:port', async () => {
  const host = `[::1]evil.example:${port}`;
  await refused(`GET /__sandbox/export HTTP/1.1\r\nHost: ${host}\r\n`, notABrowserHost(host));
});

test('user-info syntax: 127.0.0.1:port@evil.example', async () => {
  const host = `127.0.0.1:${port}@evil.example`;
  await refused(`GET /__sandbox/export HTTP/1.1\r\nHost: ${host}\r\n`, notABrowserHost(host));
});

test('HTTP/1.0 with no Host at all, on a read and on a change', async () => {
  const message =
    'Blocked request: it has no Host header, so the control plane cannot tell which name it was sent to. Send "Host: <host>:<port>", as every HTTP client does.';
  await refused('GET /__sandbox/export HTTP/1.0\r\n', message);
  await refused('POST /__sandbox/reset HTTP/1.0\r\nContent-Length: 0\r\n', message);
});

test('the forms browsers send still pass, over the same raw socket', async () => {
  for (const host of [`127.0.0.1:${port}`, `localhost.:${port}`, `[::1]:${port}`, '[::ffff:127.0.0.1]', `app.localhost:${port}`, 'LOCALHOST']) {
    const res = await exchange(`GET /__sandbox/clock HTTP/1.1\r\nHost: ${host}\r\n`);
    expect({ host, status: res.status }).toEqual({ host, status: 200 });
  }
  // Platform endpoints and health are not behind the check: the platforms answer any Host.
  expect((await exchange('GET /__sandbox/health HTTP/1.0\r\n')).status).toBe(200);
});
