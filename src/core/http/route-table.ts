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

  constructor(platforms: readonly AnyPlatform[], contextPaths: (p: AnyPlatform) => string[]) {
    for (const platform of platforms) {
      const contexts = contextPaths(platform)
        .map(normalizePrefix)
        .filter((c) => c !== '');
      const prefixes = ['', `/${platform.id}`, ...contexts, ...contexts.map((c) => `/${platform.id}${c}`)];
      for (const endpoint of platform.endpoints) {
        for (const prefix of prefixes) this.add(prefix, platform, endpoint);
      }
    }
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

  /** Methods allowed at a path, for a 405 that says what would work. */
  methodsAt(path: string): string[] {
    return (this.byPath.get(normalizePath(path)) ?? []).map((r) => r.endpoint.method);
  }

  /** Every path with the route it leads to, for tools that must reach every endpoint under every prefix (the fuzz tests). */
  entries(): [string, Route][] {
    return [...this.byPath].flatMap(([path, list]) => list.map((r): [string, Route] => [path, r]));
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
