// Where fetches may go. A declaration is untrusted: its URL (or a redirect, or a page's script) must not make this
// server read its own files (file://) or, on a public instance, its private network (cloud metadata endpoints,
// services on loopback) and publish what it got in the archive.
import { BlockList, isIP } from 'node:net';
import { lookup } from 'node:dns/promises';

import { FetchError } from './errors.js';

/** Schemes a page's own requests may use in the browser besides http(s): inline data, never local files. */
export const INLINE_SCHEMES = new Set(['data:', 'blob:', 'about:']);

/** Addresses that are not on the public internet: private, loopback, link-local, shared, reserved, multicast. */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b:1::', 48]] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined) return isPublicAddress(mapped[1]);
  return !NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

function refused(url: string, reason: string): FetchError {
  return new FetchError(url, `Refused to fetch '${url}': ${reason}`);
}

/**
 * Throws a FetchError when `url` may not be fetched: not http(s), or (with `refusePrivateAddresses`) a host that
 * resolves to an address that is not public. `requestedUrl` is the declared one, when `url` is a redirect of it.
 */
export async function checkDestination(url: string, options: { readonly refusePrivateAddresses: boolean }, requestedUrl = url): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw refused(requestedUrl, `"${url}" is not a URL`);
  }
  const via = url === requestedUrl ? '' : ` (redirected to ${url})`;
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw refused(requestedUrl, `only http and https URLs are fetched${via}`);
  if (!options.refusePrivateAddresses) return;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map(entry => entry.address);
  } catch {
    return; // a name that does not resolve: the fetch itself reports it
  }
  const private_ = addresses.find(address => !isPublicAddress(address));
  if (private_ !== undefined) {
    throw refused(requestedUrl, `${host} is ${private_}, an address that is not public${via} (refusePrivateAddresses is on)`);
  }
}
