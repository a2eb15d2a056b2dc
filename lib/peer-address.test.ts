import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientIp, parseTrustedProxies, PEER_HEADER } from "./client-ip";
import { installPeerAddress } from "./peer-address";

// A real HTTP server with the stamp installed, and real requests to it: whatever a client
// sends, the handler sees the socket's address under PEER_HEADER, and clientIp follows it.

let server: http.Server;
let port = 0;
const seen: http.IncomingHttpHeaders[] = [];

beforeAll(async () => {
  installPeerAddress();
  installPeerAddress(); // twice is once
  server = http.createServer((req, res) => {
    seen.push(req.headers);
    res.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function toHeaders(raw: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [k, v] of Object.entries(raw)) if (typeof v === "string") headers.set(k, v);
  return headers;
}

describe("the socket's address on every request", () => {
  it("replaces what a client sends under the stamp's name", async () => {
    await fetch(`http://127.0.0.1:${port}/`, {
      headers: { [PEER_HEADER]: "198.51.100.66", "x-forwarded-for": "198.51.100.66" },
    });
    const headers = seen.at(-1)!;
    expect(headers[PEER_HEADER]).toBe("127.0.0.1");
    // no proxy configured: the made-up X-Forwarded-For does not count
    expect(clientIp(toHeaders(headers), [])).toBe("127.0.0.1");
    // the same request through a configured proxy (this test's own address) would
    expect(clientIp(toHeaders(headers), parseTrustedProxies("127.0.0.1"))).toBe("198.51.100.66");
  });
});
