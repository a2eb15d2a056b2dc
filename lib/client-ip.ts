// Who is on the other end of a request, for sign-in throttling, the audit trail and the
// canonical-host redirect.
//
// The rule: X-Forwarded-For, -Host and -Proto count only when the request came straight from a
// proxy listed in GREENLIGHT_TRUSTED_PROXIES (comma-separated addresses or CIDR ranges, e.g.
// "127.0.0.1,10.0.0.0/8"). Then the client is the first address from the right of
// X-Forwarded-For that is not a trusted proxy (each proxy appends the address it was reached
// from, so everything left of that could have been written by the client). Otherwise the client
// is the socket's address, whatever the headers say.
//
// Next.js (16, `next start`) does not tell a handler the socket's address: it fills
// X-Forwarded-For from the socket only when the request has none, and keeps a client's own.
// So lib/peer-address.ts stamps every request with the socket's address in PEER_HEADER before
// Next sees it (always overwriting what a client sent under that name).

/** The socket's address, set by lib/peer-address.ts on every request; never a client's word. */
export const PEER_HEADER = "x-greenlight-peer";

/** An address as 16 bytes (IPv4 as IPv4-mapped IPv6), or a range of them. */
type Bytes = number[];
export interface AddressRange {
  bytes: Bytes;
  prefix: number;
}

function parseIPv4(text: string): Bytes | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    bytes.push(n);
  }
  return bytes;
}

function parseIPv6(text: string): Bytes | null {
  let head = text;
  let tailV4: Bytes = [];
  // an embedded IPv4 tail, e.g. ::ffff:192.0.2.1
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".", lastColon)) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (!v4) return null;
    tailV4 = v4;
    // "::192.0.2.1" keeps its "::"; "64:ff9b::192.0.2.1" likewise; "::ffff:192.0.2.1" drops a ":"
    head = text[lastColon - 1] === ":" ? text.slice(0, lastColon + 1) : text.slice(0, lastColon);
  }
  const halves = head.split("::");
  if (halves.length > 2) return null;
  const group = (s: string) => (s === "" ? [] : s.split(":"));
  const left = group(halves[0]!);
  const right = halves.length === 2 ? group(halves[1]!) : [];
  const groupsWanted = tailV4.length ? 6 : 8;
  const missing = groupsWanted - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const words = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...right];
  const bytes: number[] = [];
  for (const w of words) {
    if (!/^[0-9a-f]{1,4}$/i.test(w)) return null;
    const n = parseInt(w, 16);
    bytes.push(n >> 8, n & 0xff);
  }
  return [...bytes, ...tailV4];
}

const V4_MAPPED = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/**
 * An address as written in a header or a socket: "192.0.2.1", "192.0.2.1:443", "2001:db8::1",
 * "[2001:db8::1]:443", "fe80::1%eth0", "::ffff:192.0.2.1". Null when it is none of these.
 */
export function parseAddress(raw: string): Bytes | null {
  let text = raw.trim();
  if (text.startsWith("[")) {
    const end = text.indexOf("]");
    if (end < 0) return null;
    text = text.slice(1, end);
  } else if (/^[\d.]+:\d+$/.test(text)) {
    text = text.slice(0, text.indexOf(":"));
  }
  text = text.replace(/%[\w.-]+$/, "");
  const v4 = parseIPv4(text);
  if (v4) return [...V4_MAPPED, ...v4];
  return text.includes(":") ? parseIPv6(text) : null;
}

/** The address in its usual spelling: dotted for IPv4 (mapped ones too), compressed hex for IPv6. */
export function formatAddress(bytes: Bytes): string {
  if (V4_MAPPED.every((b, i) => bytes[i] === b)) return bytes.slice(12).join(".");
  const words = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16));
  // the longest run of two or more zero words becomes "::"
  let best = { at: -1, length: 0 };
  for (let i = 0; i < 8;) {
    if (words[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === "0") j++;
    if (j - i > best.length && j - i >= 2) best = { at: i, length: j - i };
    i = j;
  }
  if (best.at < 0) return words.join(":");
  return `${words.slice(0, best.at).join(":")}::${words.slice(best.at + best.length).join(":")}`;
}

/** GREENLIGHT_TRUSTED_PROXIES: "127.0.0.1, 10.0.0.0/8, ::1, fd00::/8". Throws naming the bad entry. */
export function parseTrustedProxies(value: string | undefined): AddressRange[] {
  const ranges: AddressRange[] = [];
  for (const entry of (value ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address = "", prefixText] = entry.split("/");
    const bytes = parseAddress(address);
    const isV4 = bytes !== null && parseIPv4(address.trim()) !== null;
    const max = isV4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
    if (!bytes || !(prefix >= 0 && prefix <= max))
      throw new Error(`GREENLIGHT_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
    ranges.push({ bytes, prefix: isV4 ? prefix + 96 : prefix });
  }
  return ranges;
}

function inRange(address: Bytes, range: AddressRange): boolean {
  for (let bit = 0; bit < range.prefix; bit += 8) {
    const bits = Math.min(8, range.prefix - bit);
    const mask = (0xff << (8 - bits)) & 0xff;
    if ((address[bit / 8]! & mask) !== (range.bytes[bit / 8]! & mask)) return false;
  }
  return true;
}

function sameAddress(a: Bytes, b: Bytes): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

export function isTrusted(address: Bytes, trusted: AddressRange[]): boolean {
  return trusted.some((range) => inRange(address, range));
}

let cachedSetting: string | undefined;
let cachedRanges: AddressRange[] = [];
/** The configured proxies (parsed once per value of GREENLIGHT_TRUSTED_PROXIES). */
export function trustedProxies(): AddressRange[] {
  const value = process.env.GREENLIGHT_TRUSTED_PROXIES ?? "";
  if (value !== cachedSetting) {
    cachedRanges = parseTrustedProxies(value);
    cachedSetting = value;
  }
  return cachedRanges;
}

function hopsOf(header: string | null): string[] {
  return (header ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
}

interface Peer {
  address: Bytes | null;
  text: string;
  /** the socket's address came from lib/peer-address.ts (false: only Next's X-Forwarded-For) */
  stamped: boolean;
}

function peerOf(headers: Headers): Peer {
  const stamped = headers.get(PEER_HEADER);
  // without the stamp (a test calling in, or a server started without lib/startup-checks) the
  // best remaining guess is the hop Next adds from the socket when the request brings none
  const text = stamped ?? hopsOf(headers.get("x-forwarded-for")).at(-1) ?? headers.get("x-real-ip") ?? "";
  return { address: parseAddress(text), text, stamped: stamped !== null };
}

/** Did this request come straight from a configured proxy? */
export function fromTrustedProxy(headers: Headers, trusted: AddressRange[] = trustedProxies()): boolean {
  const peer = peerOf(headers);
  return peer.stamped && peer.address !== null && isTrusted(peer.address, trusted);
}

/** The client's address (see the rule at the top), at most 64 characters; "unknown" if there is none. */
export function clientIp(headers: Headers, trusted: AddressRange[] = trustedProxies()): string {
  const peer = peerOf(headers);
  if (!peer.address) return peer.text.slice(0, 64) || "unknown";
  if (!peer.stamped || !isTrusted(peer.address, trusted)) return formatAddress(peer.address);
  const hops = hopsOf(headers.get("x-forwarded-for"));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseAddress(hops[i]!);
    // a hop that is no address was written by someone untrusted: it ends the walk
    if (!hop) return hops[i]!.slice(0, 64);
    if (!isTrusted(hop, trusted)) return formatAddress(hop);
  }
  // every hop is a proxy of ours: the leftmost is as far back as anyone vouches for
  const first = hops[0] ? parseAddress(hops[0]) : null;
  return formatAddress(first ?? peer.address);
}

/**
 * The host (and port) the browser asked for, or null when it cannot be known: straight from a
 * browser it is Host; from a trusted proxy, its X-Forwarded-Host (else Host). A request from an
 * untrusted peer that carries forwarding headers looks proxied by a proxy nobody configured:
 * its Host is the proxy's idea, not the browser's, so null.
 */
export function browserHost(headers: Headers, trusted: AddressRange[] = trustedProxies()): string | null {
  const peer = peerOf(headers);
  if (!peer.stamped || !peer.address) return null;
  const host = headers.get("host");
  if (isTrusted(peer.address, trusted)) return hopsOf(headers.get("x-forwarded-host"))[0] ?? host;
  // Next fills X-Forwarded-For with the socket's address and X-Forwarded-Host with Host when
  // a request has none: anything else was sent by whoever connected
  const forwardedFor = hopsOf(headers.get("x-forwarded-for"));
  const forwardedHost = headers.get("x-forwarded-host");
  const only = forwardedFor.length === 1 ? parseAddress(forwardedFor[0]!) : null;
  const sentFor = forwardedFor.length > 1 || (forwardedFor.length === 1 && !(only && sameAddress(only, peer.address)));
  const sentHost = forwardedHost !== null && forwardedHost !== host;
  return sentFor || sentHost ? null : host;
}
