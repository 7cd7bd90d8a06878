/**
 * Headers that describe one connection, not the message (RFC 9110, section 7.6.1): a proxy drops them both ways,
 * with any header the Connection header names. Host is the upstream's own, and Content-Length is set
 * again from the bytes forwarded (a chunked body arrives whole and leaves with its length).
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
]);

/** Raw header pairs (node's rawHeaders: name, value, name, value...) less the hop-by-hop ones and, when asked, Host. */
export function endToEndHeaders(raw: readonly string[], dropHost: boolean): [string, string][] {
  const named = new Set<string>();
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === 'connection') for (const token of raw[i + 1]!.split(',')) if (token.trim()) named.add(token.trim().toLowerCase());
  }
  const out: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || named.has(lower) || (dropHost && lower === 'host')) continue;
    out.push([name, raw[i + 1]!]);
  }
  return out;
}
