import { rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Sandbox } from '../../sandbox.js';
import { watchAncestors } from './ancestry.js';
import { BANNER_WIDTH, readyBanner } from '../output/banner.js';
import { paletteFor } from '../output/colour.js';
import { DETACHED_LOG_ENV, isDetachedChild, tellParent as tell } from './detached-child.js';
import { onFailure } from '../output/fail.js';
import { jsonLine, setJsonOutput } from '../output/json-lines.js';
import type { StartSettings } from '../options/option-spec.js';
import { docsUrl } from '../output/package-info.js';
import { checkPidFile } from './pid-file.js';
import { processStartedAt, removeRecord, writeRecord, type RunRecord } from './run-registry.js';
import type { ServedCertificate } from '../../server/tls/served-certificate.js';
import { runWorkers, tellPrimary, workerPort } from './workers.js';

function listenError(e: unknown, s: StartSettings): Error {
  const err = e as NodeJS.ErrnoException & { port?: number };
  const flag = err.port !== undefined && err.port === s['https-port'] && err.port !== s.port ? '--https-port' : '--port';
  const port = err.port ?? s.port;
  if (err.code === 'EADDRINUSE')
    return new Error(`cannot listen: port ${port} on ${s.host} is already in use (pick another with ${flag}, or ${flag} 0 for a free one)`);
  if (err.code === 'EACCES')
    return new Error(`cannot listen: port ${port} on ${s.host} needs privileges (ports below 1024 do on most systems); pick another with ${flag}`);
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') return new Error(`cannot listen: address ${s.host} is not on this machine (--host)`);
  return new Error(`cannot listen: ${err.message}`);
}

async function certificate(s: StartSettings): Promise<ServedCertificate | undefined> {
  if (!s.tls) return undefined;
  const { ownCertificate, selfSignedCertificate } = await import('../../server/tls/served-certificate.js');
  return s['tls-cert'] && s['tls-key'] ? ownCertificate(s['tls-cert'], s['tls-key']) : selfSignedCertificate(s.host);
}

/** `sandbox start` in this process: serve until a signal, or until whatever started it has gone. */
export async function serve(s: StartSettings): Promise<void> {
  const worker = workerPort();
  // With --workers this process only supervises: the workers serve (and write nothing of their own below).
  if (worker === undefined && s.workers > 1) return runWorkers(s);
  const json = s['log-format'] === 'json';
  setJsonOutput(json);
  const detached = isDetachedChild();
  const portFile = worker === undefined ? s['port-file'] && resolve(s['port-file']) : undefined;
  const pidFile = worker === undefined ? s['pid-file'] && resolve(s['pid-file']) : undefined;
  checkPidFile(pidFile);

  const record: RunRecord = {
    pid: process.pid,
    startedAt: processStartedAt(),
    state: 'starting',
    cwd: process.cwd(),
    host: s.host,
    port: s.port,
    portFile,
    pidFile,
    logFile: process.env[DETACHED_LOG_ENV],
  };
  if (worker === undefined) writeRecord(record);
  // A port file left by an earlier run must not tell a waiting script the wrong port.
  if (portFile) rmSync(portFile, { force: true });
  if (pidFile) writeFileSync(pidFile, `${process.pid}\n`);
  const cleanUp = () => {
    if (pidFile) rmSync(pidFile, { force: true });
    if (portFile) rmSync(portFile, { force: true });
  };
  onFailure((message) => {
    if (worker !== undefined) return tellPrimary({ failed: message });
    writeRecord({ ...record, state: 'failed', error: message, endedAt: Date.now() });
    cleanUp();
    tell({ type: 'failed', message });
  });

  const tls = await certificate(s);
  const sandbox = await Sandbox.create({
    port: worker ?? s.port,
    host: s.host,
    fixtures: s.fixtures,
    builtinFixtures: s['builtin-fixtures'],
    db: s.db,
    seed: s.seed,
    logFormat: s['log-format'],
    logLevel: s.quiet ? 'warn' : 'info',
    bodyLimit: s['body-limit'],
    journalSize: s['journal-size'],
    scenario: s.scenario,
    scenarioDirs: s['scenarios-dir'],
    adminToken: s['admin-token'],
    store: s.store,
    storePrefix: s['store-prefix'],
    allowedHosts: s['allowed-hosts'].flatMap((h) => h.split(',')).filter(Boolean),
    maxSessions: s['max-sessions'],
    maxFaults: s['max-faults'],
    maxConnections: s['max-connections'],
    dbRepair: s['db-repair'],
    validateOnDemand: true,
    tls: tls && { cert: tls.cert, key: tls.key },
    httpsPort: s['https-port'],
  });
  let bound: { port: number; httpsPort?: number };
  try {
    bound = await sandbox.listen();
  } catch (e) {
    throw listenError(e, s);
  }
  if (portFile) writeFileSync(portFile, `${bound.port}\n`);
  Object.assign(record, {
    state: 'ready',
    url: sandbox.url,
    boundPorts: [bound.port, ...(bound.httpsPort === undefined ? [] : [bound.httpsPort])],
    certificate: tls?.certPath,
  });
  if (worker === undefined) writeRecord(record);

  const scenarios = sandbox.world.scenarios.view().active.map((a) => a.name);
  // Watching starts before the readiness line, so an edit made as soon as it is printed is seen.
  const watching = s.watch ? (await import('./watch.js')).watchAndReload(sandbox) : undefined;
  const token = sandbox.options.adminToken;
  // A token the user chose is theirs to know; a generated one is printed, or nobody could use the control plane.
  const adminToken = token ? { value: token, given: s['admin-token'] !== undefined } : undefined;
  const dashboard = `${sandbox.url}/__sandbox/${adminToken && !adminToken.given ? `?token=${token}` : ''}`;
  // Signals are handled before the readiness line: whoever reads it may stop the sandbox at once.
  let stopping = false;
  const stop = (why: string, fields: Record<string, unknown>) => {
    if (stopping) return;
    stopping = true;
    watching?.close();
    process.stdout.write(
      json
        ? jsonLine('info', 'stopping (finishing in-flight requests)', { event: 'stopping', ...fields })
        : `${why}: stopping (finishing in-flight requests)\n`,
    );
    sandbox.close().then(
      () => {
        cleanUp();
        if (worker === undefined) removeRecord(process.pid);
        process.exit(0);
      },
      (e: unknown) => {
        process.stderr.write(
          json ? jsonLine('error', `error while stopping: ${(e as Error).message}`) : `sandbox: error while stopping: ${(e as Error).message}\n`,
        );
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT', { signal: 'SIGINT' }));
  process.once('SIGTERM', () => stop('SIGTERM', { signal: 'SIGTERM' }));
  // Whoever reads our output may go away (`| head`, a CI step that ended): a closed pipe must not crash the server.
  process.stdout.on('error', () => undefined);
  const banner = {
    version: sandbox.version,
    url: sandbox.url,
    httpsUrl: sandbox.httpsUrl,
    summaries: sandbox.summaries(sandbox.url),
    scenarios,
    watching: watching?.folders,
    adminToken,
    tls,
    docs: docsUrl(),
    detached,
  };
  if (worker !== undefined) {
    // The primary prints one banner and one readiness line for all its workers.
    tellPrimary({
      ready: sandbox.url,
      banner: json
        ? jsonLine('info', `Sandbox ready at ${sandbox.url} (workers)`, { event: 'ready', url: sandbox.url, dashboard, version: sandbox.version })
        : readyBanner(banner, paletteFor(process.stdout), BANNER_WIDTH),
    });
  } else if (json) {
    process.stdout.write(
      jsonLine('info', `Sandbox ready at ${sandbox.url} (pid ${process.pid})`, {
        event: 'ready',
        url: sandbox.url,
        httpsUrl: sandbox.httpsUrl,
        dashboard,
        version: sandbox.version,
        pid: process.pid,
        platforms: sandbox.summaries(sandbox.url),
        scenarios,
        watching: watching?.folders,
        adminToken: adminToken && !adminToken.given ? token : undefined,
        tls: tls && { certificate: tls.certPath, sha256: tls.sha256, selfSigned: tls.selfSigned },
      }),
    );
  } else {
    // A wider terminal shows the long links too; a pipe or a file (CI logs) gets the classic 80 columns.
    const width = process.stdout.isTTY ? Math.min(Math.max(process.stdout.columns || BANNER_WIDTH, BANNER_WIDTH), 200) : BANNER_WIDTH;
    process.stdout.write(readyBanner(banner, paletteFor(process.stdout), width));
  }

  // In the foreground the sandbox lives as long as what started it: kill npx, end the test runner or the
  // CI step, and it stops too. In the background (--detach) it is on its own until "sandbox stop".
  if (!detached) watchAncestors((who) => stop(`${who.name} (pid ${who.pid}), which started the sandbox, has ended`, { parentEnded: who }));
  if (detached) {
    tell({ type: 'ready', url: sandbox.url, httpsUrl: sandbox.httpsUrl, pid: process.pid, dashboard });
    process.disconnect?.();
  }
}
