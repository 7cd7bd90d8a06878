import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import type { TlsOptions } from './tls/tls-options.js';

export interface ListenerSpec {
  port: number;
  tls?: TlsOptions;
}

/**
 * What to listen on: plain HTTP on `port`; with TLS alone, HTTPS on `port` instead; with TLS and an
 * HTTPS port, both (HTTP on `port`, HTTPS on `httpsPort`). The first one is the sandbox's main URL.
 */
export function listenerSpecs(port: number, tls: TlsOptions | undefined, httpsPort: number | undefined): ListenerSpec[] {
  if (!tls) return [{ port }];
  return httpsPort === undefined ? [{ port, tls }] : [{ port }, { port: httpsPort, tls }];
}

export function createListener(spec: ListenerSpec, handler: (req: IncomingMessage, res: ServerResponse) => void, options: ServerOptions = {}): Server {
  return spec.tls
    ? // Loaded on demand: node:https (and TLS with it) costs a plain HTTP start a few milliseconds.
      (process.getBuiltinModule('node:https').createServer({ ...options, cert: spec.tls.cert, key: spec.tls.key }, handler) as unknown as Server)
    : createHttpServer(options, handler);
}

/** Listen, or reject with the listen error (EADDRINUSE, EADDRNOTAVAIL, ...). */
export function listenOn(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // A deep accept queue: load tests and concurrency tests open hundreds of connections at once,
    // and Node's default backlog (511) answers the overflow with connection resets.
    server.listen({ port, host, backlog: 4096 });
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
