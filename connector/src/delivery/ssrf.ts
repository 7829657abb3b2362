import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { promisify } from 'node:util';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where webhooks may go. A delivery worker must not become a way into the private network
 * (cloud metadata at 169.254.169.254, databases on 10/8, the connector's own admin port on
 * 127.0.0.1), so every target is resolved and every address it resolves to is classified.
 * Only public unicast addresses pass unless the operator allows private targets.
 */
export interface TargetPolicy {
  allowPrivateTargets: boolean;
  /** Resolves a host name to every address it has; the system resolver (getaddrinfo) by default. */
  resolveHost?: HostResolver;
}

/** Resolves a host name to its addresses; rejects with an ErrnoException (code ENOTFOUND, EAI_AGAIN, ...) when it cannot. */
export type HostResolver = (hostname: string) => Promise<LookupAddress[]>;

/** A target that passed the policy, with the addresses it was checked at. Connect only to these. */
export interface VettedTarget {
  url: URL;
  /** Host name without IPv6 brackets: what TLS checks the certificate against. */
  hostname: string;
  addresses: LookupAddress[];
}

export class TargetRefusedError extends Error {
  /**
   * @param transient the check itself could not be made (DNS timed out or failed for now):
   *   worth asking again later, unlike a target that is refused or does not exist.
   */
  constructor(
    readonly reason: string,
    readonly transient = false,
  ) {
    super(reason);
    this.name = 'TargetRefusedError';
  }
}

/** Lookup failures that say the name does not exist, rather than that DNS could not answer now. */
const NAME_DOES_NOT_EXIST = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NONAME', 'EAI_NODATA']);

const lookupAll = promisify(dnsLookup);

/** Ranges of ipaddr.js that name something other than the public internet, in words. */
const refusedRanges: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address (this includes cloud metadata services)',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address',
  private: 'a private network address',
  uniqueLocal: 'a private (unique local) IPv6 address',
  deprecatedSiteLocal: 'a site-local IPv6 address',
  reserved: 'a reserved address',
  benchmarking: 'a benchmarking address',
  discard: 'a discard-only address',
  '6to4': 'a 6to4 tunnel address',
  teredo: 'a Teredo tunnel address',
  amt: 'an AMT tunnel address',
  as112: 'an AS112 address',
  as112v6: 'an AS112 address',
  orchid2: 'an ORCHID address',
  deprecatedOrchid: 'an ORCHID address',
  droneRemoteIdProtocolEntityTags: 'a DRIP address',
  segmentRouting: 'a segment routing address',
};

/**
 * IPv6 forms that carry an IPv4 address inside (::ffff:a.b.c.d, ::a.b.c.d, the translated
 * and NAT64 forms) are judged by that IPv4 address: ::ffff:127.0.0.1 is loopback.
 */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  const parts = address.parts;
  const lastTwo = () => new ipaddr.IPv4([parts[6]! >> 8, parts[6]! & 0xff, parts[7]! >> 8, parts[7]! & 0xff]);
  const range = address.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145' || range === 'rfc6052') return lastTwo();
  // IPv4-compatible (deprecated, ::/96); :: and ::1 are not, they have ranges of their own.
  const compatible = parts.slice(0, 6).every((p) => p === 0) && range !== 'unspecified' && range !== 'loopback';
  return compatible ? lastTwo() : null;
}

/** Why this address may not receive webhooks, or null when it is a public unicast address. */
export function refusalReason(address: string): string | null {
  if (!ipaddr.isValid(address)) return `"${address}" is not an IP address`;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') parsed = embeddedIPv4(parsed as ipaddr.IPv6) ?? parsed;
  const range = parsed.range();
  if (range === 'unicast') return null;
  return refusedRanges[range] ?? `an address in the special range "${range}"`;
}

/**
 * Checks a target URL: http(s) only, and (unless private targets are allowed) every address
 * its host resolves to must be public. A host with one public and one private address is
 * refused: which one a connection would use is not ours to choose.
 */
export async function vetTarget(target: string | URL, policy: TargetPolicy): Promise<VettedTarget> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new TargetRefusedError('The target URL is not a valid URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TargetRefusedError(`The target URL must use http or https, not ${url.protocol.replace(':', '')}.`);
  }
  if (url.username || url.password) {
    throw new TargetRefusedError('The target URL must not carry a user name or password.');
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = await resolve(hostname, policy.resolveHost ?? systemResolver);
  if (!policy.allowPrivateTargets) {
    for (const { address } of addresses) {
      const reason = refusalReason(address);
      if (reason) {
        const where = address === hostname ? address : `${hostname} resolves to ${address}`;
        throw new TargetRefusedError(
          `The target URL points into a private network: ${where}, ${reason}. Webhooks are only sent to public addresses (for local development, start the connector with CONNECTOR_ALLOW_PRIVATE_TARGETS=true).`,
        );
      }
    }
  }
  return { url, hostname, addresses };
}

const systemResolver: HostResolver = (hostname) => lookupAll(hostname, { all: true, verbatim: true });

async function resolve(hostname: string, resolveHost: HostResolver): Promise<LookupAddress[]> {
  const family = isIP(hostname);
  if (family) return [{ address: hostname, family }];
  try {
    const addresses = await resolveHost(hostname);
    if (addresses.length === 0) throw new Error('no addresses');
    return addresses;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const transient = !code || !NAME_DOES_NOT_EXIST.has(code);
    throw new TargetRefusedError(`The target host ${hostname} could not be resolved${code ? ` (${code})` : ''}.`, transient);
  }
}

/**
 * A `lookup` for http.request / net.connect that answers only with the vetted addresses,
 * so the connection goes where the check looked (no second DNS answer, no rebinding).
 */
export function pinnedLookup(target: VettedTarget): LookupFunction {
  return (_hostname, options, callback) => {
    const family = options.family;
    const wanted = family === 'IPv4' ? 4 : family === 'IPv6' ? 6 : Number(family) || 0;
    const candidates = target.addresses.filter((a) => wanted === 0 || a.family === wanted);
    if (candidates.length === 0) {
      callback(Object.assign(new Error(`no vetted IPv${wanted} address for ${target.hostname}`), { code: 'ENOTFOUND' }), []);
      return;
    }
    if (options.all) callback(null, candidates);
    else callback(null, candidates[0]!.address, candidates[0]!.family);
  };
}
