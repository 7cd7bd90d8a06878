import type { PlatformSummary } from '../../core/platform.js';
import { columns, PLAIN, type Palette } from './colour.js';
import type { ServedCertificate } from '../../server/tls/served-certificate.js';
import { trustLines } from './trust.js';

/** A terminal's classic width: the banner is laid out to fit it, whatever the terminal. */
export const BANNER_WIDTH = 80;
const LABEL = 15;

const row = (p: Palette, label: string, value: string): string => `${p.label(label.padEnd(LABEL))}${value}`;
const more = (value: string): string => `${' '.repeat(LABEL)}${value}`;

/** Base URLs on one line when they fit, else one under the other. */
function baseUrls(urls: readonly string[], width: number, p: Palette): string[] {
  const head = `  ${p.label('base URL')}   `;
  const one = `${head}${urls.map(p.url).join('  ')}`;
  if (columns(one) <= width) return [one];
  return urls.map((u, i) => (i === 0 ? `${head}${p.url(u)}` : `${' '.repeat(13)}${p.url(u)}`));
}

/** A credential beside its label; under it when too long; a pointer when even that does not fit. */
function credential(label: string, value: string, labelWidth: number, width: number, p: Palette): string[] {
  const beside = `  ${p.label(label.padEnd(labelWidth))}  ${value}`;
  if (columns(beside) <= width) return [beside];
  const under = `    ${value}`;
  if (columns(under) <= width) return [`  ${p.label(label)}`, under];
  return [`  ${p.label(label.padEnd(labelWidth))}  (a long link: copy it from the dashboard)`];
}

/** Credentials a platform lists in the banner; a fixture of thousands of users is read from the control plane instead. */
const CREDENTIALS_SHOWN = 24;

/** The first entries of a long list, ending before an indented line so that no user is cut in two. */
function shownCredentials(all: PlatformSummary['credentials']): PlatformSummary['credentials'] {
  if (all.length <= CREDENTIALS_SHOWN) return all;
  let end = CREDENTIALS_SHOWN;
  while (end > 1 && all[end].label.startsWith(' ')) end--;
  return all.slice(0, end);
}

/** Every platform: its base URLs and its test credentials, laid out to fit `width` columns. */
export function banner(version: string, url: string, summaries: PlatformSummary[], width = BANNER_WIDTH, p: Palette = PLAIN): string {
  const lines = [p.title(`OAuth platform sandbox ${version}`), ''];
  for (const s of summaries) {
    lines.push(p.heading(`${s.id} — ${s.title}`));
    lines.push(...baseUrls(s.baseUrls, width, p));
    const shown = shownCredentials(s.credentials);
    const labelWidth = shown.reduce((w, c) => Math.max(w, c.label.length), 0);
    for (const c of shown) lines.push(...credential(c.label, c.value, labelWidth, width, p));
    const hidden = s.credentials.length - shown.length;
    if (hidden) lines.push(`  … ${hidden} more credentials: ${p.url(`${url}/__sandbox/platforms`)} lists them all`);
    lines.push('');
  }
  lines.push(row(p, 'control plane', `${p.url(`${url}/__sandbox/`)}  (health, clock, requests, tokens, reset)`));
  return lines.join('\n');
}

export interface ReadyBanner {
  version: string;
  url: string;
  httpsUrl?: string;
  summaries: PlatformSummary[];
  scenarios: string[];
  /** Folders watched (--watch), or undefined when not watching. */
  watching?: string[];
  /** The control plane's token: printed when the sandbox made it up, named when the user gave it. */
  adminToken?: { value: string; given: boolean };
  tls?: ServedCertificate;
  docs: string;
  detached: boolean;
  /** The config file the options were read from, when one was. */
  configFile?: string;
  /** Where it listens, when that is more than the loopback address of its URL (0.0.0.0:8848). */
  bound?: string;
}

/** What `sandbox start` prints once listening: platforms, then what to open and do next, then the readiness line. */
export function readyBanner(b: ReadyBanner, p: Palette = PLAIN, width = BANNER_WIDTH): string {
  const lines = [banner(b.version, b.url, b.summaries, width, p).split('\n').slice(0, -1).join('\n')];
  if (b.bound) lines.push(row(p, 'listening on', `${b.bound}: reachable from other machines`));
  if (b.configFile) lines.push(row(p, 'config file', `${b.configFile} (options read from it)`));
  if (b.scenarios.length) lines.push(row(p, 'scenarios', b.scenarios.join(', ')));
  if (b.watching)
    lines.push(row(p, 'watching', b.watching.length ? b.watching.join(', ') : 'nothing (no --fixtures, --scenario file or --scenarios-dir given)'));
  if (b.httpsUrl) lines.push(row(p, 'HTTPS', p.url(b.httpsUrl)));
  if (b.tls) lines.push(...trustLines(b.tls, p, b.httpsUrl ?? b.url));
  const token = b.adminToken;
  const dashboard = `${b.url}/__sandbox/${token && !token.given ? `?token=${token.value}` : ''}`;
  if (token) {
    lines.push(row(p, 'admin token', token.given ? '(the one given with --admin-token)' : token.value));
    lines.push(more('the control plane needs it: "Authorization: Bearer <token>",'));
    lines.push(more(`or ?token=<token> once in a browser${token.given ? '' : ' (see the dashboard link)'}`));
  }
  if (b.bound || b.configFile || b.scenarios.length || b.watching || b.httpsUrl || b.tls || token) lines.push('');
  // The link with a token is too long for a labelled line: then it goes on a line of its own.
  const link =
    columns(row(PLAIN, 'dashboard', dashboard)) <= width
      ? [row(p, 'dashboard', p.url(dashboard))]
      : [row(p, 'dashboard', 'open this link in a browser:'), `  ${p.url(dashboard)}`];
  lines.push(
    ...link,
    more('open it in a browser: requests live, tokens, the clock, scenarios'),
    row(p, 'control plane', p.url(`${b.url}/__sandbox/openapi.json`)),
    row(p, 'next steps', 'point your app at a base URL above and sign in with a test'),
    more('user; then watch the requests on the dashboard, or move its clock'),
    more('to expire the tokens. Docs:'),
    `  ${p.url(b.docs)}`,
    row(p, 'stop', b.detached ? 'npx sandbox stop (from this folder, or with --port)' : 'Ctrl-C'),
    '',
    p.ok(`Sandbox ready at ${b.url}`),
  );
  return `${lines.join('\n')}\n`;
}
