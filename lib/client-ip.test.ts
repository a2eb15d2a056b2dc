import { describe, expect, it } from "vitest";
import {
  browserHost,
  clientIp,
  formatAddress,
  fromTrustedProxy,
  parseAddress,
  parseTrustedProxies,
  PEER_HEADER,
} from "./client-ip";

// A request as Next hands it over: the socket's address stamped by lib/peer-address.ts, and
// X-Forwarded-For as it arrived (or, when none arrived, filled by Next with the socket's address).
function request(peer: string, headers: Record<string, string> = {}): Headers {
  return new Headers({ [PEER_HEADER]: peer, "x-forwarded-for": peer, host: "greenlight.example.com", ...headers });
}

const PROXIES = parseTrustedProxies("10.0.0.0/8, 127.0.0.1, fd00::/8");

describe("addresses", () => {
  it.each([
    ["192.0.2.1", "192.0.2.1"],
    ["192.0.2.1:5678", "192.0.2.1"],
    ["::ffff:192.0.2.1", "192.0.2.1"],
    ["2001:db8::1", "2001:db8::1"],
    ["[2001:DB8:0:0:0:0:0:1]:443", "2001:db8::1"],
    ["fe80::1%eth0", "fe80::1"],
    ["::1", "::1"],
    ["::", "::"],
    ["1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"],
    ["64:ff9b::192.0.2.1", "64:ff9b::c000:201"],
  ])("reads %s as %s", (raw, formatted) => {
    const bytes = parseAddress(raw);
    expect(bytes).not.toBeNull();
    expect(formatAddress(bytes!)).toBe(formatted);
  });

  it.each(["", "unknown", "256.1.1.1", "1.2.3", "1:2:3:4:5:6:7:8:9", "1::2::3", "g::1", "192.0.2.1, 10.0.0.1"])(
    "refuses %j",
    (raw) => expect(parseAddress(raw)).toBeNull(),
  );

  it("reads GREENLIGHT_TRUSTED_PROXIES and names a bad entry", () => {
    expect(parseTrustedProxies("")).toEqual([]);
    expect(parseTrustedProxies(" 10.0.0.0/8 ,::1")).toHaveLength(2);
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow('GREENLIGHT_TRUSTED_PROXIES: "10.0.0.0/33"');
    expect(() => parseTrustedProxies("proxy.internal")).toThrow(/proxy\.internal/);
    expect(() => parseTrustedProxies("fd00::/129")).toThrow(/fd00::\/129/);
  });
});

describe("clientIp", () => {
  it("is the socket's address when no proxy is configured, whatever the client claims", () => {
    expect(clientIp(request("203.0.113.7"), [])).toBe("203.0.113.7");
    // a made-up hop, first or last, changes nothing: Next keeps the client's header as sent
    expect(clientIp(request("203.0.113.7", { "x-forwarded-for": "198.51.100.1" }), [])).toBe("203.0.113.7");
    expect(clientIp(request("203.0.113.7", { "x-forwarded-for": "10.0.0.1, 198.51.100.99" }), [])).toBe("203.0.113.7");
    expect(clientIp(request("::ffff:203.0.113.7"), [])).toBe("203.0.113.7");
  });

  it("ignores forwarding headers from a peer that is not a configured proxy", () => {
    expect(clientIp(request("203.0.113.7", { "x-forwarded-for": "198.51.100.1" }), PROXIES)).toBe("203.0.113.7");
  });

  it("behind a trusted proxy, is the hop that proxy appended", () => {
    expect(clientIp(request("10.0.0.5", { "x-forwarded-for": "198.51.100.1" }), PROXIES)).toBe("198.51.100.1");
  });

  it("walks back through trusted proxies to the first address that is not one", () => {
    const chain = "198.51.100.1, 203.0.113.9, 10.1.2.3";
    expect(clientIp(request("10.0.0.5", { "x-forwarded-for": chain }), PROXIES)).toBe("203.0.113.9");
  });

  it("cannot be spoofed through a trusted proxy: what the client wrote stays left of the real hop", () => {
    // the client sent "X-Forwarded-For: 10.0.0.1, 192.0.2.55"; the proxy appended its real address
    const spoofed = "10.0.0.1, 192.0.2.55, 203.0.113.7";
    expect(clientIp(request("10.0.0.5", { "x-forwarded-for": spoofed }), PROXIES)).toBe("203.0.113.7");
    // claiming to be a trusted proxy itself does not help either
    expect(clientIp(request("10.0.0.5", { "x-forwarded-for": "127.0.0.1, 203.0.113.7" }), PROXIES)).toBe("203.0.113.7");
  });

  it("stops at a hop that is no address, and falls back to the leftmost when every hop is a proxy", () => {
    expect(clientIp(request("10.0.0.5", { "x-forwarded-for": "198.51.100.1, nonsense, 10.0.0.9" }), PROXIES)).toBe(
      "nonsense",
    );
    expect(clientIp(request("10.0.0.5", { "x-forwarded-for": "10.0.0.7, 10.0.0.9" }), PROXIES)).toBe("10.0.0.7");
    // a trusted proxy that sent none: Next filled in the proxy's own address
    expect(clientIp(request("127.0.0.1"), PROXIES)).toBe("127.0.0.1");
  });

  it("matches IPv6 ranges", () => {
    expect(clientIp(request("fd12::1", { "x-forwarded-for": "2001:db8::7" }), PROXIES)).toBe("2001:db8::7");
    expect(clientIp(request("2001:db8::1", { "x-forwarded-for": "2001:db8::7" }), PROXIES)).toBe("2001:db8::1");
  });

  it("without the socket stamp, trusts nothing and takes the hop Next adds", () => {
    const headers = new Headers({ "x-forwarded-for": "198.51.100.1, 10.0.0.5" });
    expect(clientIp(headers, PROXIES)).toBe("10.0.0.5");
    expect(fromTrustedProxy(headers, PROXIES)).toBe(false);
    expect(clientIp(new Headers(), PROXIES)).toBe("unknown");
  });
});

describe("browserHost", () => {
  it("is Host for a browser that connects directly", () => {
    expect(browserHost(request("203.0.113.7", { "x-forwarded-host": "greenlight.example.com" }), [])).toBe(
      "greenlight.example.com",
    );
  });

  it("is unknowable when an unconfigured proxy seems to be in between", () => {
    expect(browserHost(request("203.0.113.7", { "x-forwarded-for": "198.51.100.1" }), [])).toBeNull();
    expect(browserHost(request("203.0.113.7", { "x-forwarded-host": "evil.example" }), [])).toBeNull();
  });

  it("is a trusted proxy's X-Forwarded-Host, and ignores a client's", () => {
    expect(browserHost(request("10.0.0.5", { host: "app:3000", "x-forwarded-host": "gl.example.com" }), PROXIES)).toBe(
      "gl.example.com",
    );
    expect(browserHost(request("10.0.0.5", { host: "gl.example.com" }), PROXIES)).toBe("gl.example.com");
    expect(browserHost(new Headers({ host: "gl.example.com" }), PROXIES)).toBeNull();
  });
});
