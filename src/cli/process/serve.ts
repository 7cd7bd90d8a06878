import { Sandbox } from '../../sandbox.js';
import type { SandboxOptions } from '../../core/config/sandbox-options.js';
import { watchAncestors } from './ancestry.js';
import { BANNER_WIDTH, readyBanner, type ReadyBanner } from '../output/banner.js';
import { tlsFields, trustLines } from '../output/trust.js';
import { paletteFor } from '../output/colour.js';
import { DETACHED_LOG_ENV, isDetachedChild, tellParent as tell } from './detached-child.js';
import { jsonLine, setJsonOutput } from '../output/json-lines.js';
import type { StartSettings } from '../options/option-spec.js';
import { sandboxOptionsOf } from '../options/start-settings.js';
import { isLoopback } from '../options/exposure-warnings.js';
import { docsUrl } from '../output/package-info.js';
import { writeOwnFile } from './private-file.js';
import { probeHealth } from './probe.js';
import { beginRun, type Run } from './run-files.js';
import { isAlive, listRecords, removeRecord, writeRecord } from './run-registry.js';
import { supervise } from './supervise.js';
import type { ServedCertificate } from '../../server/tls/served-certificate.js';
import type { Watching } from './watch.js';
import { tellPrimary, workerPort } from './workers.js';

/** --tls: the user's certificate, or one the local CA issued for every name asked (kept); its module loads only then. */
async function certificate(s: StartSettings): Promise<ServedCertificate | undefined> {
  if (!s.tls) return undefined;
  const { ownCertificate, issuedCertificate } = await import('../../server/tls/served-certificate.js');
  if (s['tls-cert'] && s['tls-key']) return ownCertificate(s['tls-cert'], s['tls-key'], s['tls-name']);
  return issuedCertificate({ host: s.host, allowedHosts: sandboxOptionsOf(s).allowedHosts, tlsNames: s['tls-name'] });
}

/** The rows of the option table that set a SandboxOptions field, and what only `sandbox start` decides. */
function sandboxOptions(s: StartSettings, run: Run, tls: ServedCertificate | undefined): SandboxOptions {
  return {
    ...sandboxOptionsOf(s),
    port: run.worker ?? s.port,
    logLevel: s.quiet ? 'warn' : 'info',
    validateOnDemand: true,
    tls: tls && { cert: tls.cert, key: tls.key },
  };
}

/** Which sandbox holds a port: one this user started from the command line (its record), or any that answers health there. */
async function sandboxOn(port: number): Promise<string | undefined> {
  const record = listRecords().find((r) => r.boundPorts?.includes(port) && r.pid !== process.pid && isAlive(r.pid));
  if (record)
    return `another sandbox (pid ${record.pid}, started in ${record.cwd}${record.url ? `, ${record.url}` : ''}); stop it with "sandbox stop --port ${port}"`;
  const answer = await probeHealth(`http://127.0.0.1:${port}`, 1000);
  if (!answer.ok) return undefined;
  const pid = (answer.body as { pid?: unknown }).pid;
  return `another sandbox${typeof pid === 'number' ? ` (pid ${pid})` : ''}, not one started with "sandbox start" by this user (in-process, or in a container?)`;
}

async function listenError(e: unknown, s: StartSettings): Promise<Error> {
  const err = e as NodeJS.ErrnoException & { port?: number };
  const flag = err.port !== undefined && err.port === s['https-port'] && err.port !== s.port ? '--https-port' : '--port';
  const port = err.port ?? s.port;
  if (err.code === 'EADDRINUSE') {
    const holder = await sandboxOn(port).catch(() => undefined);
    return new Error(
      `cannot listen: port ${port} on ${s.host} is already in use${holder ? ` by ${holder}` : ''} (pick another with ${flag}, or ${flag} 0 for a free one)`,
    );
  }
  if (err.code === 'EACCES')
    return new Error(`cannot listen: port ${port} on ${s.host} needs privileges (ports below 1024 do on most systems); pick another with ${flag}`);
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') return new Error(`cannot listen: address ${s.host} is not on this machine (--host)`);
  return new Error(`cannot listen: ${err.message}`);
}

/** Listen, then tell whoever waits (the port file, the run record) where. */
async function listen(sandbox: Sandbox, s: StartSettings, run: Run, tls: ServedCertificate | undefined): Promise<void> {
  let bound: { port: number; httpsPort?: number };
  try {
    bound = await sandbox.listen();
  } catch (e) {
    throw await listenError(e, s);
  }
  if (run.portFile) writeOwnFile(run.portFile, '--port-file', `${bound.port}\n`, 0o644);
  Object.assign(run.record, {
    state: 'ready',
    url: sandbox.url,
    boundPorts: [bound.port, ...(bound.httpsPort === undefined ? [] : [bound.httpsPort])],
    // What health trusts when it probes: the CA that issued the certificate, or your own certificate.
    certificate: tls?.ca?.certPath ?? tls?.certPath,
  });
  if (run.worker === undefined) writeRecord(run.record);
}

/** What the readiness line says, and the dashboard link (with the token in it when the sandbox made the token up). */
function readiness(sandbox: Sandbox, s: StartSettings, tls: ServedCertificate | undefined, watching: Watching | undefined, configFile?: string) {
  const token = sandbox.options.adminToken;
  // A token the user chose is theirs to know; a generated one is printed, or nobody could use the control plane.
  const adminToken = token ? { value: token, given: s['admin-token'] !== undefined } : undefined;
  const banner: ReadyBanner = {
    version: sandbox.version,
    url: sandbox.url,
    httpsUrl: sandbox.httpsUrl,
    summaries: sandbox.summaries(sandbox.url),
    scenarios: sandbox.world.scenarios.view().active.map((a) => a.name),
    watching: watching?.folders,
    adminToken,
    tls,
    docs: docsUrl(),
    configFile,
    // The URL names a loopback address to reach it by; where it listens can be more than that.
    bound: isLoopback(s.host) ? undefined : `${s.host.includes(':') ? `[${s.host}]` : s.host}:${new URL(sandbox.url).port}`,
    // A worker of a detached primary has the primary's log, not its IPC channel: it says how it is stopped too.
    detached: isDetachedChild() || process.env[DETACHED_LOG_ENV] !== undefined,
  };
  return { banner, dashboard: `${sandbox.url}/__sandbox/${adminToken && !adminToken.given ? `?token=${token}` : ''}` };
}

/** The readiness line: a banner for people, one JSON object for machines, or (in a worker) both handed to the primary. */
function announce({ banner, dashboard }: ReturnType<typeof readiness>, run: Run, json: boolean): void {
  const { url, version } = banner;
  if (run.worker !== undefined) {
    // The primary prints one banner and one readiness line for all its workers.
    tellPrimary({
      ready: url,
      dashboard,
      banner: json
        ? jsonLine('info', `Sandbox ready at ${url} (workers)`, { event: 'ready', url, dashboard, version })
        : readyBanner(banner, paletteFor(process.stdout), BANNER_WIDTH),
    });
  } else if (json) {
    const { adminToken, tls } = banner;
    process.stdout.write(
      jsonLine('info', `Sandbox ready at ${url} (pid ${process.pid})`, {
        event: 'ready',
        url,
        httpsUrl: banner.httpsUrl,
        dashboard,
        version,
        pid: process.pid,
        platforms: banner.summaries,
        scenarios: banner.scenarios,
        watching: banner.watching,
        adminToken: adminToken && !adminToken.given ? adminToken.value : undefined,
        tls: tls && tlsFields(tls),
        configFile: banner.configFile,
        listening: banner.bound,
      }),
    );
  } else {
    // A wider terminal shows the long links too; a pipe or a file (CI logs) gets the classic 80 columns.
    const width = process.stdout.isTTY ? Math.min(Math.max(process.stdout.columns || BANNER_WIDTH, BANNER_WIDTH), 200) : BANNER_WIDTH;
    process.stdout.write(readyBanner(banner, paletteFor(process.stdout), width));
  }
}

type Stop = (why: string, fields: Record<string, unknown>) => void;

/** Stop once, whatever asks first: finish in-flight requests, remove the files and the record, exit. */
function stopper(sandbox: Sandbox, run: Run, watching: Watching | undefined, json: boolean): Stop {
  let stopping = false;
  return (why, fields) => {
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
        run.cleanUp();
        if (run.worker === undefined) removeRecord(process.pid);
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
}

function stopOnSignals(stop: Stop): void {
  process.once('SIGINT', () => stop('SIGINT', { signal: 'SIGINT' }));
  process.once('SIGTERM', () => stop('SIGTERM', { signal: 'SIGTERM' }));
  // Whoever reads our output may go away (`| head`, a CI step that ended): a closed pipe must not crash the server.
  process.stdout.on('error', () => undefined);
}

/**
 * In the foreground the sandbox lives as long as what started it: kill npx, end the test runner or the
 * CI step, and it stops too. In the background (--detach) it is on its own until "sandbox stop", and
 * tells the `start --detach` that waits for it that it is ready.
 */
function liveOn(sandbox: Sandbox, { dashboard, banner }: ReturnType<typeof readiness>, stop: Stop, run: Run): void {
  // A worker lives as long as its primary, which watches for all of them.
  if (run.worker !== undefined) return;
  if (!isDetachedChild()) {
    watchAncestors(
      (who) => stop(`${who.name} (pid ${who.pid}), which started the sandbox, has ended`, { parentEnded: who }),
      (npm) => stop(`SIGINT to ${npm.name} (pid ${npm.pid})`, { signal: 'SIGINT', to: npm }),
    );
    return;
  }
  const tls = banner.tls && { ...tlsFields(banner.tls), trust: trustLines(banner.tls, undefined, banner.httpsUrl ?? banner.url) };
  tell({ type: 'ready', url: sandbox.url, httpsUrl: sandbox.httpsUrl, pid: process.pid, dashboard, tls });
  process.disconnect?.();
}

/** `sandbox start` in this process: serve until a signal, or until whatever started it has gone. */
export async function serve(s: StartSettings, configFile?: string): Promise<void> {
  const worker = workerPort();
  // With --workers this process only supervises: the workers serve (and write nothing of their own below).
  if (worker === undefined && s.workers > 1) return supervise(s);
  const json = s['log-format'] === 'json';
  setJsonOutput(json);
  const run = beginRun(s, worker);
  const tls = await certificate(s);
  const sandbox = await Sandbox.create(sandboxOptions(s, run, tls));
  await listen(sandbox, s, run, tls);
  // Watching starts before the readiness line, so an edit made as soon as it is printed is seen.
  const watching = s.watch ? (await import('./watch.js')).watchAndReload(sandbox) : undefined;
  const ready = readiness(sandbox, s, tls, watching, configFile);
  // Signals are handled before the readiness line: whoever reads it may stop the sandbox at once.
  const stop = stopper(sandbox, run, watching, json);
  stopOnSignals(stop);
  announce(ready, run, json);
  liveOn(sandbox, ready, stop, run);
}
