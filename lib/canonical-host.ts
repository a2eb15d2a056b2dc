import { browserHost, type AddressRange, trustedProxies } from "./client-ip";

// Pages are served at one address, GREENLIGHT_URL. Someone who browses at another name for the
// same server (127.0.0.1 where the URL says localhost, a bare host name inside the network) is
// sent there first: sign-in cookies are kept per host, and the identity provider returns to
// GREENLIGHT_URL, where cookies set under another name would be missing.
//
// Only page requests (GET and HEAD, not /api/ nor Next's own files) move: an API client or a
// health check may use whatever name reaches the server. When the host the browser asked for
// cannot be known (lib/client-ip.ts `browserHost`: a proxy that is not in
// GREENLIGHT_TRUSTED_PROXIES), nothing moves, so a proxy that rewrites Host cannot cause a loop.

export interface PageRequest {
  method: string;
  pathname: string;
  search: string;
  headers: Headers;
}

/** Where this request should have gone, or null when it is where it belongs. */
export function canonicalRedirect(
  request: PageRequest,
  publicUrl: URL,
  trusted: AddressRange[] = trustedProxies(),
): URL | null {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  if (/^\/(api|_next)(\/|$)/.test(request.pathname)) return null;
  const host = browserHost(request.headers, trusted);
  if (!host || host.toLowerCase() === publicUrl.host.toLowerCase()) return null;
  return new URL(`${request.pathname}${request.search}`, publicUrl.origin);
}
