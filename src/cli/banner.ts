import type { PlatformSummary } from '../core/platform.js';

/** What `sandbox start` prints: every platform's base URLs and its test credentials. */
export function banner(version: string, url: string, summaries: PlatformSummary[]): string {
  const lines = [`OAuth platform sandbox ${version}`, ''];
  for (const s of summaries) {
    lines.push(`${s.id} — ${s.title}`);
    lines.push(`  base URL   ${s.baseUrls.join('  ')}`);
    const width = Math.max(...s.credentials.map((c) => c.label.length), 0);
    for (const c of s.credentials) lines.push(`  ${c.label.padEnd(width)}  ${c.value}`);
    lines.push('');
  }
  lines.push(`control plane  ${url}/__sandbox/  (health, clock, requests, tokens, reset)`);
  return lines.join('\n');
}
