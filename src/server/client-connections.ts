import { isIPv6 } from 'node:net';
import type { Socket } from 'node:net';

/**
 * Connections open per client, so one client cannot hold the whole connection cap: a client that keeps
 * reconnecting slow sockets would otherwise leave nothing for anyone else (health probes included).
 * A client is its address; for IPv6 its /64, the block one host is usually given (one machine can
 * draw on all of it). Every client on loopback is one client: other local programs share its count.
 */
export class ClientConnections {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Count a new connection in; false (and nothing counted) when its client already holds `max`. */
  admit(socket: Socket): boolean {
    const client = clientOf(socket.remoteAddress);
    if (client === undefined) return true;
    const held = this.open.get(client) ?? 0;
    if (held >= this.max) return false;
    this.open.set(client, held + 1);
    socket.once('close', () => {
      const left = (this.open.get(client) ?? 1) - 1;
      if (left > 0) this.open.set(client, left);
      else this.open.delete(client);
    });
    return true;
  }

  /** The client a connection is counted under (what a refusal's warning names). */
  static clientOf(address: string | undefined): string | undefined {
    return clientOf(address);
  }
}

function clientOf(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  // An IPv4 client reaching a dual-stack listener.
  if (address.startsWith('::ffff:') && address.includes('.')) return address.slice(7);
  if (!isIPv6(address) || address === '::1') return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, written out ("fe80::1" → fe80,0,0,0,0,0,0,1). */
function expandIPv6(address: string): string[] {
  const bare = address.split('%')[0];
  const [head, tail] = bare.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An embedded IPv4 tail (::ffff:1.2.3.4 is handled above; others are rare) counts as two groups.
  const groups = (parts: string[]) => parts.flatMap((p) => (p.includes('.') ? ['v4', 'v4'] : [p]));
  const l = groups(left);
  const r = groups(right);
  const zeros = tail === undefined ? [] : Array<string>(8 - l.length - r.length).fill('0');
  return [...l, ...zeros, ...r].map((g) => (g === 'v4' ? g : String(parseInt(g, 16).toString(16))));
}
