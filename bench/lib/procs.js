/**
 * Child servers: spawn, wait for the "ready at <url>" line, read RSS, stop. Every child is tracked so
 * that a normal end, an error or Ctrl-C kills each of them by PID; every wait has a deadline.
 */
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { ROOT } from './config.js';

const live = new Set();
const READY = /ready at (http:\/\/[^\s]+)/i;

export function startServer({ args, label, timeoutMs = 30_000, nodeFlags = [] }) {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [...nodeFlags, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn(value);
    };
    const timer = setTimeout(() => {
      stopServer(child);
      settle(reject, new Error(`${label}: no "ready at" line within ${timeoutMs} ms. stderr: ${err.slice(-2000)}`));
    }, timeoutMs);
    child.stdout.on('data', (d) => {
      // Keep draining after ready so a chatty child never blocks on a full pipe; keep only the tail.
      if (settled) return;
      out = (out + d).slice(-8192);
      const m = READY.exec(out);
      if (m) settle(resolve, { child, pid: child.pid, url: m[1].replace(/[.,;]$/, ''), started, stdout: out });
    });
    child.stderr.on('data', (d) => {
      err = (err + d).slice(-8192);
    });
    child.on('exit', (code, signal) => {
      live.delete(child);
      settle(reject, new Error(`${label} exited (${signal ?? code}) before it was ready. stderr: ${err.slice(-2000)}`));
    });
    child.on('error', (e) => settle(reject, e));
  });
}

export async function stopServer(child, graceMs = 3000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function stopAll() {
  await Promise.all([...live].map((c) => stopServer(c)));
}

/** Last resort on exit: synchronous, so it also runs from process.on('exit'). */
function killAllNow() {
  for (const c of live) {
    try {
      c.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

export function installCleanup() {
  process.on('exit', killAllNow);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      process.stderr.write(`\nbench: ${sig}, stopping ${live.size} server(s)\n`);
      stopAll().finally(() => process.exit(130));
    });
  }
}

/** Resident set size of a process in bytes (Linux /proc, else ps). */
export function rssOf(pid) {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
}

/** The pids of a process and of every descendant (Linux /proc; a cluster primary and its workers). */
function treeOf(pid) {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      const children = readFileSync(`/proc/${out[i]}/task/${out[i]}/children`, 'utf8').trim();
      if (children) out.push(...children.split(/\s+/).map(Number));
    } catch {
      // gone, or not Linux
    }
  }
  return out;
}

/** CPU seconds (user + system) spent so far by a process and its descendants; NaN where /proc is missing. */
export function cpuSecondsOfTree(pid) {
  let ticks = 0;
  for (const p of treeOf(pid)) {
    try {
      // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      if (p === pid) return NaN;
    }
  }
  return ticks / CLOCK_TICKS;
}

/** USER_HZ: 100 on every Linux build this bench runs on (getconf CLK_TCK). */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** One request with a fresh connection; resolves { status, body } or rejects on timeout. */
export function request(url, { method = 'GET', headers = {}, body, timeoutMs = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A port nobody listens on now, on 127.0.0.1. */
export const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
