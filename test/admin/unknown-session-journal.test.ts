import { request as httpRequest } from 'node:http';
import { useSandbox } from '../helpers/sandbox.js';
import { APP, form } from '../helpers/mantun.js';

const t = useSandbox();

/** One request as an SDK sends it, on a connection of its own: status, content type and text. */
function send(path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; contentType: unknown; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${t().sb.url}${path}`,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], text }));
      },
    );
    req.setTimeout(5000, () => req.destroy(new Error('no answer within 5 s')));
    req.on('error', reject);
    req.end(body);
  });
}

const journal = async (query: string) => {
  const res = await fetch(`${t().sb.url}/__sandbox/requests?${query}`, { signal: AbortSignal.timeout(5000) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { requests: Record<string, unknown>[] }).requests;
};

const TOKEN_BODY = form({ client_id: APP.appKey, client_secret: 'S3CRET', grant_type: 'authorization_code', redirect_uri: APP.redirectUri, code: 'abc' });
const ANSWER = {
  error: 'unknown_session',
  message: 'No session "nosuch": it was never created or has been ended; GET /__sandbox/sessions lists the open ones, POST /__sandbox/sessions creates one.',
};

describe('a platform request naming a session that does not exist is answered as before and journaled in the default world', () => {
  test('/s/nosuch/oauth/token.as: 404 unknown_session on the wire, and an unmatched entry that says how to create the session', async () => {
    const res = await send('/s/nosuch/oauth/token.as', TOKEN_BODY);
    expect(res.status).toBe(404);
    expect(String(res.contentType)).toMatch(/^application\/json/);
    expect(JSON.parse(res.text)).toEqual(ANSWER);

    const entries = await journal('matched=false');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      matched: false,
      session: 'default',
      platform: 'mantun',
      endpoint: '',
      method: 'POST',
      path: '/s/nosuch/oauth/token.as',
      status: 404,
      hint: 'No session "nosuch" (named by the /s/nosuch prefix): create it with POST /__sandbox/sessions {"id": "nosuch"} before sending requests to it, or list the open ones with GET /__sandbox/sessions.',
      request: { contentType: 'application/x-www-form-urlencoded', bodySize: Buffer.byteLength(TOKEN_BODY) },
      response: { body: ANSWER },
    });
    // The body is journaled like any other unmatched request's, its secret masked.
    expect(JSON.stringify(entries[0])).not.toContain('S3CRET');
    expect(await journal('matched=true')).toEqual([]);
  });

  test('the X-Sandbox-Session header naming an ended session: the hint names the header', async () => {
    const created = await fetch(`${t().sb.url}/__sandbox/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'worker-1' }),
      signal: AbortSignal.timeout(5000),
    });
    expect(created.status).toBe(201);
    const ended = await fetch(`${t().sb.url}/__sandbox/sessions/worker-1`, { method: 'DELETE', signal: AbortSignal.timeout(5000) });
    expect(ended.status).toBe(204);

    const res = await send('/oauth/token.as', TOKEN_BODY, { 'x-sandbox-session': 'worker-1' });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text)).toEqual({ ...ANSWER, message: ANSWER.message.replace('nosuch', 'worker-1') });

    const [entry] = await journal('matched=false');
    expect(entry).toMatchObject({
      session: 'default',
      platform: 'mantun',
      path: '/oauth/token.as',
      status: 404,
      hint: 'No session "worker-1" (named by the X-Sandbox-Session header): create it with POST /__sandbox/sessions {"id": "worker-1"} before sending requests to it, or list the open ones with GET /__sandbox/sessions.',
    });
  });
});
