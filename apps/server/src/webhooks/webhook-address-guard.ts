/**
 * Where a webhook may not be sent (server-side request forgery): addresses no receiver lives at, where a
 * POST could only reach something that trusts whoever can reach it. Link-local (169.254.0.0/16, fe80::/10:
 * the cloud metadata endpoints, 169.254.169.254), "this network" (0.0.0.0/8, ::, which Linux connects to
 * the machine itself), multicast and the reserved block up to 255.255.255.255. Addresses in the office
 * network and loopback stay allowed: a CRM on the LAN, or on the same machine, is what webhooks are for.
 *
 * Checked twice: an address written in the URL when the webhook is saved (a clear error, nothing stored),
 * and every address a name resolves to when a delivery connects (a name may point anywhere, and change).
 */
import dns from 'node:dns';
import net, { BlockList } from 'node:net';

const BLOCKED = new BlockList();
BLOCKED.addSubnet('0.0.0.0', 8, 'ipv4');
BLOCKED.addSubnet('169.254.0.0', 16, 'ipv4');
BLOCKED.addSubnet('224.0.0.0', 4, 'ipv4');
BLOCKED.addSubnet('240.0.0.0', 4, 'ipv4');
BLOCKED.addAddress('::', 'ipv6');
BLOCKED.addSubnet('fe80::', 10, 'ipv6');
BLOCKED.addSubnet('ff00::', 8, 'ipv6');

const IPV4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** Whether an IP address (v4, v6, or v4 written as v6) is one a webhook may not be sent to. */
export function isBlockedAddress(address: string): boolean {
  const mapped = IPV4_MAPPED.exec(address)?.[1];
  if (mapped !== undefined) return BLOCKED.check(mapped, 'ipv4');
  const family = net.isIP(address);
  if (family === 0) return false;
  return BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The URL's host when it is an IP address (`[::1]` without brackets) a webhook may not go to, else null.
 * An address written in the URL is connected to without a lookup, so it is checked here, not in
 * `guardedLookup`.
 */
export function blockedAddressIn(url: string): string | null {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  return net.isIP(host) !== 0 && isBlockedAddress(host) ? host : null;
}

export const BLOCKED_ADDRESS_MESSAGE =
  'LineDeck sends no webhook to link-local, multicast or "this network" addresses (0.0.0.0, 169.254.x.x, ' +
  "fe80::, where cloud metadata endpoints live): use the receiver's own address or name.";

export class BlockedAddressError extends Error {
  override name = 'BlockedAddressError';
  readonly code = 'blocked_address';
  constructor(readonly address: string) {
    super(`blocked address ${address}`);
  }
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;
export type Lookup = (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => void;

/**
 * A `lookup` for `net.connect` (undici passes it on): resolves as `dns.lookup` does, and fails when any
 * address the name has is blocked, before a connection is tried.
 */
export function guardedLookup(resolve: Lookup = dns.lookup as unknown as Lookup): Lookup {
  return (hostname, options, callback) => {
    resolve(hostname, options, (err, address, family) => {
      if (err) {
        callback(err, address, family);
        return;
      }
      const all = Array.isArray(address) ? address.map((a) => a.address) : [address];
      const blocked = all.find(isBlockedAddress);
      if (blocked !== undefined) {
        callback(new BlockedAddressError(blocked), address, family);
        return;
      }
      callback(null, address, family);
    });
  };
}
