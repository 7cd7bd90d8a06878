/** Where each forwarded platform's requests go: `--upstream <platform>=<base URL>`, read once at start. */
export type UpstreamTargets = ReadonlyMap<string, URL>;

const EXAMPLE = 'mantun=https://open.snd02.com';

/**
 * The `--upstream` values as a map from platform id to base URL. A value that is not `<platform>=<http(s) URL>`,
 * names a platform the sandbox does not serve, or names one twice is refused with what would work.
 */
export function parseUpstreamTargets(specs: readonly string[], platformIds: readonly string[]): UpstreamTargets {
  const targets = new Map<string, URL>();
  const known = platformIds.join(', ');
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const id = eq < 0 ? '' : spec.slice(0, eq).trim();
    const text = eq < 0 ? '' : spec.slice(eq + 1).trim();
    if (!id || !text) throw new Error(`--upstream "${spec}": expected <platform>=<base URL>, e.g. ${EXAMPLE} (platforms: ${known}).`);
    if (!platformIds.includes(id)) throw new Error(`--upstream "${spec}": no platform "${id}" here; use one of ${known}.`);
    if (targets.has(id)) throw new Error(`--upstream names ${id} twice; give each platform one base URL.`);
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new Error(`--upstream "${spec}": "${text}" is not a URL; give the platform's base URL with its scheme, e.g. ${EXAMPLE}.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error(`--upstream "${spec}": the base URL must start with http:// or https://, got ${url.protocol}//.`);
    if (url.search || url.hash || url.username || url.password)
      throw new Error(`--upstream "${spec}": the base URL must hold no query, fragment or credentials; the client's own are forwarded.`);
    targets.set(id, url);
  }
  return targets;
}

/** The URL a request goes to: the base, then the path below the platform's base and the query, as the client sent them. */
export function upstreamUrl(base: URL, pathBelowBase: string, search: string): string {
  const path = pathBelowBase.startsWith('/') ? pathBelowBase : `/${pathBelowBase}`;
  // The path below the platform's base follows the base's own path, without a doubled slash.
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}${path}${search}`;
}
