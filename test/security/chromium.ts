import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchChromium as launchBrowser } from '../ui/browser.js';

/**
 * Real Chromium (Debian's, as the dashboard tests use it) for the attacks a browser carries: pages of
 * another site, and a name rebound to 127.0.0.1 (Chromium's own resolver rule: the traffic stays on
 * loopback, nothing is mocked).
 */
export const REBOUND = 'evil.example';

export function launchChromium(): Promise<Browser> {
  return launchBrowser('The browser-borne attack tests', [`--host-resolver-rules=MAP ${REBOUND} 127.0.0.1`]);
}

/** Another site on this machine: serves `page()` at every path and records the headers of every request it gets. */
export interface OtherSite {
  port: number;
  requests: { path: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export async function otherSite(page: () => string): Promise<OtherSite> {
  const requests: OtherSite['requests'] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' });
    res.end(page());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
