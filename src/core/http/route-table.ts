import type { AnyPlatform, Endpoint } from '../platform.js';

export interface Route {
  platform: AnyPlatform;
  endpoint: Endpoint;
  /** The prefix the request came in under ('' for the root), kept for base URLs. */
  prefix: string;
}

/**
 * Every platform endpoint under every prefix it answers to, in one map: a request costs one lookup,
 * whatever the number of platforms. Root paths go to the first platform that claims them; a later
 * platform with the same native path is reachable under its `/<id>` prefix (the documented form).
 */
export class RouteTable {
  private readonly byPath = new Map<string, Route[]>();
  readonly collisions: string[] = [];
  /** The platform ids, in registry order (for answers that list them). */
  readonly platformIds: string[] = [];
  /** Every non-empty prefix with its platform, longest first: which platform a request that matched nothing was meant for. */
  private readonly prefixes: [string, string][] = [];

  constructor(platforms: readonly AnyPlatform[], contextPaths: (p: AnyPlatform) => string[]) {
    for (const platform of platforms) {
      const contexts = contextPaths(platform)
        .map(normalizePrefix)
        .filter((c) => c !== '');
      const prefixes = ['', `/${platform.id}`, ...contexts, ...contexts.map((c) => `/${platform.id}${c}`)];
      this.platformIds.push(platform.id);
      for (const p of prefixes) if (p !== '') this.prefixes.push([p, platform.id]);
      for (const endpoint of platform.endpoints) {
        for (const prefix of prefixes) this.add(prefix, platform, endpoint);
      }
    }
    this.prefixes.sort((a, b) => b[0].length - a[0].length);
  }

  private add(prefix: string, platform: AnyPlatform, endpoint: Endpoint): void {
    const path = normalizePath(prefix + endpoint.path);
    const list = this.byPath.get(path) ?? [];
    const clash = list.find((r) => r.platform !== platform && (r.endpoint.method === endpoint.method || r.endpoint.method === '*' || endpoint.method === '*'));
    if (clash) {
      this.collisions.push(`${endpoint.method} ${path}: ${clash.platform.id} keeps it, ${platform.id} answers under /${platform.id}${endpoint.path}`);
      return;
    }
    list.push({ platform, endpoint, prefix });
    this.byPath.set(path, list);
  }

  find(method: string, path: string): Route | undefined {
    const list = this.byPath.get(normalizePath(path));
    if (!list) return undefined;
    return (
      list.find((r) => r.endpoint.method === method) ??
      list.find((r) => r.endpoint.method === '*') ??
      (method === 'HEAD' ? list.find((r) => r.endpoint.method === 'GET') : undefined)
    );
  }

  /** The routes at a path, whatever their method. */
  routesAt(path: string): readonly Route[] {
    return this.byPath.get(normalizePath(path)) ?? [];
  }

  /** Methods allowed at a path, for a 405 that says what would work. */
  methodsAt(path: string): string[] {
    return (this.byPath.get(normalizePath(path)) ?? []).map((r) => r.endpoint.method);
  }

  /** Every path with the route it leads to, for tools that must reach every endpoint under every prefix (the fuzz tests). */
  entries(): [string, Route][] {
    return [...this.byPath].flatMap(([path, list]) => list.map((r): [string, Route] => [path, r]));
  }

  /** The platform whose prefix (`/sop`, a context path such as `/ebx-rook`) a path is under, or '' when none. */
  prefixOwner(path: string): string {
    for (const [prefix, id] of this.prefixes) if (path === prefix || path.startsWith(`${prefix}/`)) return id;
    return '';
  }

  platformAt(path: string): AnyPlatform | undefined {
    return this.byPath.get(normalizePath(path))?.[0]?.platform;
  }
}

export function normalizePrefix(prefix: string): string {
  const p = prefix.trim().replace(/\/+$/, '');
  return p === '' ? '' : p.startsWith('/') ? p : `/${p}`;
}

function normalizePath(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
