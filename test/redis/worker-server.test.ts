import { connect } from 'node:net';
import { workerRedis } from '../helpers/redis.js';

/** The global setup's per-worker server is there, answers PING, and each caller gets a prefix of its own. */
test("this worker's redis-server answers, and prefixes never repeat", async () => {
  const a = workerRedis();
  const b = workerRedis();
  expect(a.url).toBe(b.url);
  expect(a.prefix).not.toBe(b.prefix);
  const { port } = new URL(a.url);
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (d) => {
      socket.end();
      resolve(d.toString());
    });
    socket.once('error', reject);
  });
  expect(reply).toBe('+PONG\r\n');
});
