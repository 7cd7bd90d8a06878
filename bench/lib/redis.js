/**
 * A redis-server of the bench's own (Debian's), on a free port in a temp dir, no persistence: the
 * shared store of the scaling measure. Its command count tells how many commands a request cost.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSecondsOfTree, freePort } from './procs.js';

/** One command over a raw socket (the bench must not depend on the client it measures). */
function command(port, line) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${line}\r\n`));
    let text = '';
    socket.on('data', (d) => {
      text += d;
      // A bulk reply: $<length>\r\n<payload>\r\n
      const m = /^\$(\d+)\r\n/.exec(text);
      if (text.startsWith('+') || text.startsWith('-') || text.startsWith(':') || (m && text.length >= m[0].length + Number(m[1]) + 2)) {
        socket.end();
        resolve(text);
      }
    });
    socket.once('error', reject);
    setTimeout(() => reject(new Error(`redis-server on ${port} did not answer "${line}"`)), 5000).unref();
  });
}

/**
 * Watch every command Redis runs (MONITOR) until stop(): `client` counts the commands clients sent
 * (each one a round trip, or part of a pipeline), `lua` those run inside scripts. MONITOR slows
 * Redis down, so it watches a probe, never a measured run.
 */
function monitor(port) {
  return new Promise((resolve, reject) => {
    const counts = { client: 0, lua: 0 };
    let rest = '';
    let started = false;
    const socket = connect(port, '127.0.0.1', () => socket.write('MONITOR\r\n'));
    socket.setEncoding('utf8');
    socket.on('data', (d) => {
      const lines = (rest + d).split('\r\n');
      rest = lines.pop();
      for (const line of lines) {
        if (!started) {
          started = line === '+OK';
          if (started) resolve({ stop: () => (socket.destroy(), { ...counts }) });
          continue;
        }
        if (/^\+\d+\.\d+ \[\d+ lua\]/.test(line)) counts.lua++;
        else if (line.startsWith('+')) counts.client++;
      }
    });
    socket.once('error', reject);
  });
}

export async function startRedis() {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-bench-redis-'));
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  child.once('error', () => undefined);
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if ((await command(port, 'PING')).startsWith('+PONG')) break;
    } catch {
      if (Date.now() > deadline) throw new Error('redis-server did not start (is it installed? apt-get install redis-server)');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url: `redis://127.0.0.1:${port}/0`,
    /** Commands Redis has processed so far (INFO stats total_commands_processed). */
    commands: async () => Number(/total_commands_processed:(\d+)/.exec(await command(port, 'INFO stats'))?.[1] ?? NaN),
    flush: () => command(port, 'FLUSHALL'),
    monitor: () => monitor(port),
    /** CPU seconds redis-server has spent so far (its share of the cores in a run). */
    cpuSeconds: () => cpuSecondsOfTree(child.pid),
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
