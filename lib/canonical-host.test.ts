import { describe, expect, it } from "vitest";
import { canonicalRedirect } from "./canonical-host";
import { parseTrustedProxies, PEER_HEADER } from "./client-ip";

const PUBLIC = new URL("http://localhost:3300");

function page(host: string, pathname = "/sign-in", extra: Record<string, string> = {}, method = "GET") {
  return {
    method,
    pathname,
    search: "?callbackUrl=%2Freleases",
    headers: new Headers({ [PEER_HEADER]: "127.0.0.1", "x-forwarded-for": "127.0.0.1", host, ...extra }),
  };
}

describe("canonicalRedirect", () => {
  it("sends a page asked for at another name to the public URL, path and query kept", () => {
    expect(canonicalRedirect(page("127.0.0.1:3300"), PUBLIC, [])?.toString()).toBe(
      "http://localhost:3300/sign-in?callbackUrl=%2Freleases",
    );
  });

  it("leaves the public URL alone, whatever the case of the name", () => {
    expect(canonicalRedirect(page("localhost:3300"), PUBLIC, [])).toBeNull();
    expect(canonicalRedirect(page("LOCALHOST:3300"), PUBLIC, [])).toBeNull();
  });

  it("moves pages only: not the API, not Next's files, not a POST", () => {
    expect(canonicalRedirect(page("127.0.0.1:3300", "/api/health"), PUBLIC, [])).toBeNull();
    expect(canonicalRedirect(page("127.0.0.1:3300", "/_next/static/x.js"), PUBLIC, [])).toBeNull();
    expect(canonicalRedirect(page("127.0.0.1:3300", "/", {}, "POST"), PUBLIC, [])).toBeNull();
    expect(canonicalRedirect(page("127.0.0.1:3300", "/apis"), PUBLIC, [])).not.toBeNull();
  });

  it("behind a trusted proxy, follows the host the browser asked the proxy for", () => {
    const proxies = parseTrustedProxies("127.0.0.1");
    const publicUrl = new URL("https://greenlight.example.com");
    expect(
      canonicalRedirect(
        page("127.0.0.1:3000", "/", { "x-forwarded-host": "greenlight.example.com" }),
        publicUrl,
        proxies,
      ),
    ).toBeNull();
    expect(
      canonicalRedirect(page("127.0.0.1:3000", "/", { "x-forwarded-host": "gl.internal" }), publicUrl, proxies)?.href,
    ).toBe("https://greenlight.example.com/?callbackUrl=%2Freleases");
  });

  it("stays put behind a proxy nobody configured, rather than loop", () => {
    const publicUrl = new URL("https://greenlight.example.com");
    expect(
      canonicalRedirect(page("127.0.0.1:3000", "/", { "x-forwarded-for": "198.51.100.1" }), publicUrl, []),
    ).toBeNull();
  });
});
