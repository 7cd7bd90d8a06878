import { request } from 'node:http';

/**
 * POST on a connection of its own (no keep-alive pool). Bursts of a thousand requests through
 * fetch's shared pool can hit the keep-alive race, where a client reuses a socket the server is
 * closing at that instant, a flake of the client, not of what a test measures.
 */
export function postOnce(url: string, body: string, contentType: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
