/**
 * Where the page was loaded decides what it acts on: /__sandbox/ is the default world,
 * /s/<id>/__sandbox/ a session. Anything in front (a proxy's prefix) is kept.
 */
const match = location.pathname.match(/^(.*?\/)(?:s\/([^/]+)\/)?__sandbox\//);
export const root = match ? match[1] : '/';
export const session = match && match[2] ? decodeURIComponent(match[2]) : undefined;
/** The control plane of this page's world. */
export const base = `${root}${session ? `s/${encodeURIComponent(session)}/` : ''}__sandbox/`;
/** The default world's control plane (sessions are created and listed there). */
export const rootBase = `${root}__sandbox/`;

export const sessionPage = (id) => `${root}s/${encodeURIComponent(id)}/__sandbox/`;

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** JSON in, JSON out; a refusal becomes an ApiError carrying the control plane's own message. */
export async function api(path, { method = 'GET', body, at = base } = {}) {
  const init = { method, cache: 'no-store', headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(at + path, init);
  } catch {
    throw new ApiError(0, 'network', 'The sandbox does not answer: is it still running?');
  }
  const text = await res.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = text;
  }
  if (!res.ok) {
    const message = data && typeof data === 'object' && typeof data.message === 'string' ? data.message : `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, data && typeof data === 'object' ? data.error : undefined, message);
  }
  return data;
}
