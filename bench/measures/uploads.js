/**
 * Memory under large uploads: `sandbox start` with its default limits, RSS idle, then SOP gateway posts of one
 * multipart file part (4 at a time), streamed from the bench in 64 KiB pieces, with the server's RSS sampled
 * every 50 ms; once with 3 MiB parts and once, on a fresh server, with 30 MiB parts (just under --upload-limit).
 * The sandbox streams file parts (counted and MD5-hashed, never held), so the peak over idle is Node's buffer
 * churn and the same for both sizes; a body held whole would add about 30 MB per upload in flight.
 */
import http from 'node:http';
import { rssOf, sleep, startServer, stopServer } from '../lib/procs.js';

const MiB = 1048576;
const IN_FLIGHT = 4;
const BOUNDARY = 'benchbenchbenchbenchbench0123456789';

/** One upload, streamed as it is written; resolves with the answer's status (the gateway answers HTTP 200). */
function upload(url, fileBytes) {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const target = new URL('/gateway.do', url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent: false,
        timeout: 60_000,
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': head.length + fileBytes + tail.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('timeout', () => req.destroy(new Error('upload timed out')));
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 0x5a);
    let left = fileBytes;
    req.write(head);
    const write = () => {
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!req.write(chunk.subarray(0, n))) return void req.once('drain', write);
      }
      req.end(tail);
    };
    write();
  });
}

export async function measureUploads(config, log) {
  const count = config.quick ? 8 : 40;
  return { small: await uploadsOf(3 * MiB, count, log), large: await uploadsOf(30 * MiB, count, log) };
}

async function uploadsOf(fileBytes, count, log) {
  const server = await startServer({ args: ['bin/sandbox.js', 'start', '--port', '0', '--quiet'], label: 'sandbox (uploads)' });
  try {
    await sleep(500);
    const idle = rssOf(server.pid);
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(server.pid))), 50);
    const started = performance.now();
    const statuses = [];
    let next = 0;
    try {
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (next < count) {
            next++;
            statuses.push(await upload(server.url, fileBytes));
          }
        }),
      );
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - started) / 1000;
    const errors = statuses.filter((s) => s !== 200).length;
    const result = { uploads: count, fileBytes, inFlight: IN_FLIGHT, idle, peak, seconds, mibPerSecond: (count * fileBytes) / MiB / seconds, errors };
    log(
      `  ${count} uploads of ${fileBytes / MiB} MiB, ${IN_FLIGHT} at a time: RSS idle ${Math.round(idle / MiB)} MB, peak ${Math.round(peak / MiB)} MB; ${Math.round(result.mibPerSecond)} MiB/s${errors ? `; ${errors} answers not 200` : ''}`,
    );
    return result;
  } finally {
    await stopServer(server.child);
  }
}
