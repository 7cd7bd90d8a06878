import { connect } from 'node:net';

/**
 * Hold a Redis server for `seconds` with DEBUG SLEEP (the server needs `--enable-debug-command yes`):
 * connections stay up but nothing is answered, as with a stalled or swapping Redis. Resolves once it
 * answers again.
 */
export function stallRedis(port: number, seconds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const arg = String(seconds);
    const socket = connect(port, '127.0.0.1', () => socket.write(`*3\r\n$5\r\nDEBUG\r\n$5\r\nSLEEP\r\n$${arg.length}\r\n${arg}\r\n`));
    socket.once('data', (reply) => {
      socket.end();
      if (reply.toString() === '+OK\r\n') resolve();
      else reject(new Error(`DEBUG SLEEP answered ${reply.toString()}`));
    });
    socket.once('error', reject);
  });
}
