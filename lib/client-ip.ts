/**
 * The client's address, for sign-in throttling and the audit trail. Next.js fills
 * X-Forwarded-For with the socket's address when a request arrives without one. Behind a
 * reverse proxy (GREENLIGHT_TRUST_PROXY=1) the proxy's first hop is the client. Without a
 * proxy a client can send its own header, so the per-address limit is best effort there; the
 * per-account limit does not depend on it.
 */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for");
  const hops =
    forwarded
      ?.split(",")
      .map((h) => h.trim())
      .filter(Boolean) ?? [];
  const address = process.env.GREENLIGHT_TRUST_PROXY === "1" ? hops[0] : hops.at(-1);
  return (address ?? headers.get("x-real-ip") ?? "unknown").slice(0, 64);
}
