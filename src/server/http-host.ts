import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CLOSE_GRACE_MS, TIMEOUT_CHECK_INTERVAL_MS } from '../core/config/limits.js';
import type { ResolvedOptions } from '../core/config/sandbox-options.js';
import type { Logger } from '../core/log.js';
import { ClientConnections } from './client-connections.js';
import { createListener, listenerSpecs, listenOn } from './listeners.js';

/** How soon, during a stop, a connection whose last answer has left is dropped. */
const IDLE_SWEEP_MS = 10;

export type HostOptions = Pick<
  ResolvedOptions,
  'port' | 'host' | 'tls' | 'httpsPort' | 'headersTimeout' | 'requestTimeout' | 'maxConnections' | 'maxConnectionsPerClient'
>;

/**
 * The sandbox on the network: its HTTP (and HTTPS) listeners with their caps and timeouts, the URLs
 * clients reach it at, and a stop that lets in-flight requests finish while idle connections go at once.
 * What a request means is the handler's business.
 */
export class HttpHost {
  /** The main listener first (see listenerSpecs), then the HTTPS one when both are served. */
  private servers: Server[] = [];

  constructor(
    private readonly options: HostOptions,
    private readonly handler: (req: IncomingMessage, res: ServerResponse) => void,
    private readonly logger: Logger,
  ) {}

  async listen(): Promise<{ port: number; host: string; httpsPort?: number }> {
    // Slow or idle clients cannot hold sockets for minutes, nor open more than the sandbox has descriptors for.
    const { headersTimeout, requestTimeout, maxConnections, maxConnectionsPerClient } = this.options;
    let warned = 0;
    let warnedClient = 0;
    // One count over every listener: HTTP and HTTPS beside it are one sandbox to a client.
    const clients = new ClientConnections(maxConnectionsPerClient);
    for (const spec of listenerSpecs(this.options.port, this.options.tls, this.options.httpsPort)) {
      const server = createListener(spec, this.handler, {
        headersTimeout,
        requestTimeout,
        connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
      });
      server.maxConnections = maxConnections;
      server.on('drop', () => {
        if (Date.now() - warned < 10_000) return;
        warned = Date.now();
        this.logger.warn(
          `refused connections: ${maxConnections} are open, the cap (--max-connections, maxConnections); raise it, or look for a client that keeps connections open`,
        );
      });
      // Every listener sees the TCP connection first (the TLS handshake comes after): refuse before any work.
      server.on('connection', (socket: Socket) => {
        if (clients.admit(socket)) return;
        const client = ClientConnections.clientOf(socket.remoteAddress);
        socket.destroy();
        if (Date.now() - warnedClient < 10_000) return;
        warnedClient = Date.now();
        this.logger.warn(
          `refused connections from ${client}: it holds ${maxConnectionsPerClient}, the per-client cap (--max-connections-per-client, maxConnectionsPerClient); raise it, or look for a client that keeps connections open`,
        );
      });
      // Longer than the 4-5 s after which HTTP clients drop idle sockets themselves, so a client
      // never reuses a socket at the very moment the server closes it (ECONNRESET under load).
      server.keepAliveTimeout = 30_000;
      try {
        await listenOn(server, spec.port, this.options.host);
      } catch (e) {
        // HTTPS could not bind after HTTP did: nothing half-open stays behind.
        for (const bound of this.servers.splice(0)) bound.close();
        throw e;
      }
      this.servers.push(server);
    }
    const [main, https] = this.servers.map((server) => (server.address() as AddressInfo).port);
    return { port: main, host: this.options.host, ...(https === undefined ? {} : { httpsPort: https }) };
  }

  get hostPort(): string {
    return this.hostPortOf(0);
  }

  private hostPortOf(index: number): string {
    const addr = this.servers[index]?.address() as AddressInfo | undefined;
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    return `${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${addr?.port ?? this.options.port}`;
  }

  get url(): string {
    return `${this.options.tls && this.options.httpsPort === undefined ? 'https' : 'http'}://${this.hostPort}`;
  }

  /** The HTTPS URL when HTTPS is served beside plain HTTP (`httpsPort`); otherwise `url` says it all. */
  get httpsUrl(): string | undefined {
    return this.options.tls && this.options.httpsPort !== undefined ? `https://${this.hostPortOf(1)}` : undefined;
  }

  /** Stop accepting, let in-flight requests finish (cut after a grace period), drop idle connections (a browser's spare ones too). */
  async close(): Promise<void> {
    const servers = this.servers.splice(0);
    if (!servers.length) return;
    const cut = setTimeout(() => servers.forEach((server) => server.closeAllConnections()), CLOSE_GRACE_MS).unref();
    // Node keeps a keep-alive connection open after the answer it was serving when the server closed: the
    // sweep drops each as soon as it is idle. Node knows which connections are idle, so no request pays
    // for bookkeeping of its own; only a stop does, and only while answers are in flight.
    const sweep = setInterval(() => servers.forEach((server) => server.closeIdleConnections()), IDLE_SWEEP_MS).unref();
    await new Promise<void>((resolve) => {
      let open = servers.length;
      for (const server of servers) server.close(() => --open === 0 && resolve());
      for (const server of servers) server.closeIdleConnections();
    });
    clearInterval(sweep);
    clearTimeout(cut);
  }
}
