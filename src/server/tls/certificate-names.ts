import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { UsageError } from '../../core/errors/usage-error.js';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

/** A DNS name (optionally "*." and a name) or an IP address as a certificate names it, lower case; undefined when it is neither. */
export function certificateName(raw: string): string | undefined {
  const name = raw
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  if (isIP(name)) return name;
  if (name.length > 253) return undefined;
  const labels = (name.startsWith('*.') ? name.slice(2) : name).split('.');
  // A wildcard over a top-level name ("*.com") is refused by every client, so it is not offered either.
  if (name.startsWith('*.') && labels.length < 2) return undefined;
  return labels.every((l) => LABEL.test(l)) ? name : undefined;
}

/** More would make a certificate that some clients refuse to parse; a wildcard covers a family of names. */
export const MAX_TLS_NAMES = 100;

/** The names of --tls-name, checked: a clear refusal here beats a certificate that no client accepts. */
export function requestedNames(given: readonly string[]): string[] {
  const names = given
    .flatMap((g) => g.split(','))
    .filter((g) => g.trim() !== '')
    .map((g) => {
      const name = certificateName(g);
      if (name === undefined)
        throw new UsageError(
          `--tls-name ${JSON.stringify(g)}: not a DNS name or an IP address (give a name such as sandbox.staging.example.com, *.staging.example.com or 10.0.0.5)`,
        );
      return name;
    });
  if (names.length > MAX_TLS_NAMES)
    throw new UsageError(`--tls-name: ${names.length} names, at most ${MAX_TLS_NAMES} (a wildcard such as *.staging.example.com covers a family of them)`);
  return names;
}

/**
 * An --allowed-hosts entry as certificate names: ".example.com" (it and its subdomains) is example.com and
 * *.example.com; "all" names nothing, and an entry that cannot be a certificate name is left out (it still
 * works for the Host check).
 */
function allowedHostNames(entry: string): string[] {
  if (entry === 'all') return [];
  if (entry.startsWith('.')) return [certificateName(entry.slice(1)), certificateName(`*${entry}`)].filter((n) => n !== undefined);
  const name = certificateName(entry);
  return name === undefined ? [] : [name];
}

export interface NameSources {
  /** --host: a name or an address the sandbox is bound to (a wildcard address names nothing). */
  host: string;
  allowedHosts?: readonly string[];
  /** --tls-name, already checked by requestedNames. */
  tlsNames?: readonly string[];
}

/** Every name a client may reach the sandbox by: loopback, the machine's name, --host, --allowed-hosts and --tls-name. */
export function certificateNames({ host, allowedHosts = [], tlsNames = [] }: NameSources): string[] {
  const machine = certificateName(hostname());
  const bound = WILDCARD_HOSTS.has(host.replace(/^\[(.*)\]$/, '$1')) ? undefined : certificateName(host);
  const names = ['localhost', '127.0.0.1', '::1', machine, bound, ...allowedHosts.flatMap(allowedHostNames), ...tlsNames];
  return [...new Set(names.filter((n) => n !== undefined))];
}
