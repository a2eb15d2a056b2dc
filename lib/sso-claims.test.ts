import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchUserinfo, mergeClaims, needsUserinfo } from "./sso-claims";

describe("mergeClaims", () => {
  it("takes the ID token's claims when it has them", () => {
    expect(
      mergeClaims(
        { sub: "1", email: "ana@example.test", email_verified: true, name: "Ana", groups: ["qa"] },
        { sub: "1", email: "other@example.test", email_verified: false, groups: ["admins"] },
        "groups",
      ),
    ).toEqual({ email: "ana@example.test", emailVerified: true, name: "Ana", groups: ["qa"] });
  });

  it("falls back to userinfo for what the ID token leaves out", () => {
    expect(
      mergeClaims(
        { sub: "1" },
        { sub: "1", email: "ana@example.test", email_verified: "true", name: "Ana", roles: ["qa", 7] },
        "roles",
      ),
    ).toEqual({ email: "ana@example.test", emailVerified: true, name: "Ana", groups: ["qa"] });
  });

  it("never pairs one source's address with the other's verification", () => {
    expect(
      mergeClaims({ sub: "1", email: "ana@example.test" }, { sub: "1", email_verified: true }, "groups").emailVerified,
    ).toBe(false);
    expect(mergeClaims({ sub: "1", email_verified: true }, { sub: "1", email: "ana@example.test" }, "groups")).toEqual({
      email: "ana@example.test",
      emailVerified: false,
      name: null,
      groups: [],
    });
  });

  it("asks userinfo only when email or the groups claim is missing", () => {
    expect(needsUserinfo({ email: "a@b.c", groups: [] }, "groups")).toBe(false);
    expect(needsUserinfo({ email: "a@b.c" }, "groups")).toBe(true);
    expect(needsUserinfo({ groups: ["x"] }, "groups")).toBe(true);
    expect(needsUserinfo(undefined, "groups")).toBe(true);
  });
});

// a real HTTP server playing the provider's discovery document and userinfo endpoint
describe("fetchUserinfo", () => {
  let server: http.Server;
  let issuer = "";
  let discoveries = 0;
  const tokens: Record<string, object> = {
    "token-ana": { sub: "ana", email: "ana@example.test", email_verified: true },
    "token-someone-else": { sub: "mallory", email: "mallory@example.test" },
  };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === "/.well-known/openid-configuration") {
        discoveries++;
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ issuer, userinfo_endpoint: `${issuer}/me` }));
      } else if (req.url === "/me") {
        const claims = tokens[(req.headers.authorization ?? "").replace(/^Bearer /, "")];
        res.statusCode = claims ? 200 : 401;
        res.setHeader("content-type", "application/json; charset=utf-8");
        res.end(JSON.stringify(claims ?? { error: "invalid_token" }));
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("reads the claims for the token, discovering the endpoint once", async () => {
    expect(await fetchUserinfo(issuer, "token-ana", "ana")).toMatchObject({ email: "ana@example.test" });
    expect(await fetchUserinfo(`${issuer}/`, "token-ana", "ana")).toMatchObject({ sub: "ana" });
    await fetchUserinfo(issuer, "token-ana", "ana");
    expect(discoveries).toBe(2); // once per spelling of the issuer
  });

  it("refuses claims about another subject, and a refused token", async () => {
    await expect(fetchUserinfo(issuer, "token-someone-else", "ana")).rejects.toThrow(/another subject/);
    await expect(fetchUserinfo(issuer, "nope", "ana")).rejects.toThrow(/401/);
  });
});
