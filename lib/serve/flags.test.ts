import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { OpenFeature, type Client } from "@openfeature/server-sdk";
import { OFREPProvider } from "@openfeature/ofrep-provider";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { db } from "../db";
import { createSdkKey, revokeSdkKey } from "../data/flags/sdk-keys";
import { updateFlagState } from "../data/flags/toggle";
import { actorWith } from "../test/actors";
import { npmScript } from "../test/npm-script";
import { resetDatabase } from "../test/reset";
import { createFlagHandler } from "./flags";
import { startSnapshotSource, type SnapshotSource } from "./snapshot-source";

// The flag evaluation service over real HTTP, read by the real OpenFeature server SDK through its
// OFREP provider, on the snapshot the source keeps current.

let source: SnapshotSource;
let server: http.Server;
let base: string;
let stagingKey: string;
let productionKey: string;
let admin: Awaited<ReturnType<typeof actorWith>>;
const environments = { staging: "", production: "" };

async function flag(key: string, states: Record<"staging" | "production", object | null>) {
  const created = await db().featureFlag.create({ data: { key, name: key, category: "commerce" } });
  for (const [env, state] of Object.entries(states))
    if (state)
      await db().flagState.create({
        data: { flagId: created.id, environmentId: environments[env as "staging" | "production"], ...state },
      });
}

beforeAll(async () => {
  await resetDatabase();
  const staging = await db().environment.create({ data: { key: "staging", name: "Staging", position: 1 } });
  const production = await db().environment.create({ data: { key: "production", name: "Production", position: 2 } });
  environments.staging = staging.id;
  environments.production = production.id;
  await flag("new-checkout", { staging: { enabled: true }, production: { enabled: false } });
  await flag("search-v2", { staging: { enabled: true, rolloutPercent: 50 }, production: null });
  await flag("beta-pricing", {
    staging: {
      enabled: true,
      rolloutPercent: 0,
      rules: [{ attribute: "country", operator: "in", values: ["FR", "DE"] }],
    },
    production: null,
  });
  await db().featureFlag.create({ data: { key: "old-banner", name: "Old banner", archivedAt: new Date() } });
  admin = await actorWith(["environment.view", "environment.manage", "flag.toggle"], [staging.id, production.id]);
  stagingKey = (await createSdkKey(admin, { environmentKey: "staging", name: "storefront" })).key;
  productionKey = (await createSdkKey(admin, { environmentKey: "production", name: "storefront" })).key;

  source = await startSnapshotSource({
    checkEveryMs: 200,
    // LISTEN needs a server of its own connections; the embedded one serves one client
    listenUrl: inject("embeddedDatabase") ? undefined : process.env.DATABASE_URL,
  });
  const handle = createFlagHandler(source);
  server = http.createServer((req, res) => {
    if (!handle(req, res)) {
      res.writeHead(418);
      res.end("not a flag path");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await OpenFeature.close();
  await new Promise((resolve) => server.close(resolve));
  await source.stop();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const ofrep = (path: string, body: string, key = stagingKey, headers: Record<string, string> = {}) =>
  fetch(`${base}/ofrep/v1/evaluate/flags${path}`, {
    method: "POST",
    headers: { ...bearer(key), "content-type": "application/json", ...headers },
    body,
  });

/** Polls until check passes; returns how long it took. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("GET /api/v1/flags", () => {
  it("serves an environment's flags to its SDK key, cacheable for five minutes", async () => {
    const res = await get("/api/v1/flags?environment=staging", bearer(stagingKey));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("max-age=300");
    const body = (await res.json()) as { flags: Record<string, boolean>; version: number };
    // no context: a rollout or rule needs one, so only everyone-on flags are true; archived ones are gone
    expect(body.flags).toEqual({ "beta-pricing": false, "new-checkout": true, "search-v2": false });
    expect(body.version).toBeGreaterThan(0);
    const etag = res.headers.get("etag")!;
    const again = await get("/api/v1/flags?environment=staging", { ...bearer(stagingKey), "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    const production = await get("/api/v1/flags?environment=production", bearer(productionKey));
    expect(((await production.json()) as { flags: object }).flags).toEqual({
      "beta-pricing": false,
      "new-checkout": false,
      "search-v2": false,
    });
  });

  it("refuses a missing or unknown key (401), another environment's key (403), an unknown environment (404)", async () => {
    expect((await get("/api/v1/flags?environment=staging")).status).toBe(401);
    expect((await get("/api/v1/flags?environment=staging", bearer("glsdk_forged"))).status).toBe(401);
    expect((await get("/api/v1/flags?environment=staging", { authorization: stagingKey })).status).toBe(401);
    const other = await get("/api/v1/flags?environment=production", bearer(stagingKey));
    expect(other.status).toBe(403);
    expect(((await other.json()) as { message: string }).message).toContain('reads the flags of "staging"');
    const unknown = await get("/api/v1/flags?environment=qa", bearer(stagingKey));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { environments: string[] }).environments).toEqual(["staging", "production"]);
    expect((await get("/api/v1/flags?environment=%E0%A4%A", bearer(stagingKey))).status).toBe(404);
    // without ?environment the key's own
    expect((await get("/api/v1/flags", bearer(stagingKey))).status).toBe(200);
    const post = await fetch(`${base}/api/v1/flags`, { method: "POST", headers: bearer(stagingKey) });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    expect((await get("/api/v1/flagsX", bearer(stagingKey))).status).toBe(418);
  });

  it("serves a change within a second, and a revoked key stops working as fast", async () => {
    const { key } = await createSdkKey(admin, { environmentKey: "staging", name: "short-lived" });
    await within(1000, async () => (await get("/api/v1/flags", bearer(key))).status === 200);
    await updateFlagState(admin, { flagKey: "new-checkout", environmentKey: "staging", enabled: false });
    const tookMs = await within(1000, async () => {
      const body = (await (await get("/api/v1/flags", bearer(key))).json()) as { flags: Record<string, boolean> };
      return body.flags["new-checkout"] === false;
    });
    expect(tookMs).toBeLessThan(1000);
    await updateFlagState(admin, { flagKey: "new-checkout", environmentKey: "staging", enabled: true });
    const row = await db().sdkKey.findFirstOrThrow({ where: { name: "short-lived" } });
    await revokeSdkKey(admin, { environmentKey: "staging", sdkKeyId: row.id });
    await within(1000, async () => (await get("/api/v1/flags", bearer(key))).status === 401);
  });
});

describe("OFREP, through the OpenFeature server SDK", () => {
  let client: Client;
  let unreachable: Client;
  beforeAll(async () => {
    await OpenFeature.setProviderAndWait(
      "staging",
      new OFREPProvider({ baseUrl: base, headers: [["Authorization", `Bearer ${stagingKey}`]] }),
    );
    client = OpenFeature.getClient("staging");
    // nothing listens on port 9 (discard): the application's default stands
    await OpenFeature.setProviderAndWait("down", new OFREPProvider({ baseUrl: "http://127.0.0.1:9" }));
    unreachable = OpenFeature.getClient("down");
  });

  it("answers with the protocol's reasons", async () => {
    expect(await client.getBooleanDetails("new-checkout", false)).toMatchObject({ value: true, reason: "STATIC" });
    expect(await client.getBooleanDetails("beta-pricing", false, { targetingKey: "u1", country: "FR" })).toMatchObject({
      value: true,
      reason: "TARGETING_MATCH",
    });
    expect(await client.getBooleanDetails("search-v2", true, { targetingKey: "user-1" })).toMatchObject({
      reason: "SPLIT",
    });
    // the same user, the same answer
    const first = await client.getBooleanValue("search-v2", false, { targetingKey: "user-42" });
    expect(await client.getBooleanValue("search-v2", !first, { targetingKey: "user-42" })).toBe(first);
  });

  it("falls back to the application's default on an error, with the protocol's error code", async () => {
    expect(await client.getBooleanDetails("no-such-flag", false)).toMatchObject({
      value: false,
      errorCode: "FLAG_NOT_FOUND",
    });
    expect(await client.getBooleanDetails("old-banner", true)).toMatchObject({
      value: true,
      errorCode: "FLAG_NOT_FOUND",
    });
    expect(await client.getBooleanDetails("search-v2", true, {})).toMatchObject({
      value: true,
      errorCode: "TARGETING_KEY_MISSING",
    });
    expect(await unreachable.getBooleanValue("new-checkout", false)).toBe(false);
  });
});

describe("OFREP over plain HTTP", () => {
  it("refuses malformed requests with the protocol's codes", async () => {
    const broken = await ofrep("/new-checkout", "{nope");
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ key: "new-checkout", errorCode: "PARSE_ERROR" });
    const notObject = await ofrep("/new-checkout", JSON.stringify({ context: ["a"] }));
    expect(await notObject.json()).toMatchObject({ errorCode: "INVALID_CONTEXT" });
    const badKey = await ofrep("/new-checkout", JSON.stringify({ context: { targetingKey: 7 } }));
    expect(badKey.status).toBe(400);
    expect(await badKey.json()).toMatchObject({ errorCode: "INVALID_CONTEXT" });
    expect((await ofrep("/new-checkout", JSON.stringify([]))).status).toBe(400);
    const huge = await ofrep("/new-checkout", JSON.stringify({ context: { pad: "x".repeat(70_000) } }));
    expect(huge.status).toBe(413);
    expect((await ofrep("/new-checkout", "{}", "glsdk_nope")).status).toBe(401);
    expect((await fetch(`${base}/ofrep/v1/evaluate/flags/new-checkout`, { headers: bearer(stagingKey) })).status).toBe(
      405,
    );
    // an empty body is an empty context
    expect(await (await ofrep("/new-checkout", "")).json()).toMatchObject({ value: true, reason: "STATIC" });
  });

  it("evaluates every flag at once, with an ETag for the same answer", async () => {
    const context = JSON.stringify({ context: { targetingKey: "user-7", country: "DE" } });
    const res = await ofrep("", context);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { flags: { key: string; value?: boolean; reason?: string }[] };
    expect(body.flags.map((f) => f.key)).toEqual(["beta-pricing", "new-checkout", "search-v2"]);
    expect(body.flags[0]).toMatchObject({ value: true, reason: "TARGETING_MATCH" });
    const same = await ofrep("", context, stagingKey, { "if-none-match": res.headers.get("etag")! });
    expect(same.status).toBe(304);
    // per-flag errors stay in the list: no targeting key for the rollout
    const anonymous = (await (await ofrep("", "{}")).json()) as { flags: { key: string; errorCode?: string }[] };
    expect(anonymous.flags.find((f) => f.key === "search-v2")).toMatchObject({ errorCode: "TARGETING_KEY_MISSING" });
  });
});

describe("CORS: browsers on other origins read flags with an SDK key", () => {
  it("answers the preflight for every flag path", async () => {
    for (const path of ["/api/v1/flags", "/ofrep/v1/evaluate/flags", "/ofrep/v1/evaluate/flags/new-checkout"]) {
      const res = await fetch(`${base}${path}`, {
        method: "OPTIONS",
        headers: {
          origin: "https://shop.example",
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type",
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(res.headers.get("access-control-allow-methods")).toContain("POST");
      expect(res.headers.get("access-control-allow-methods")).toContain("GET");
      expect(res.headers.get("access-control-allow-headers")).toBe("Authorization, Content-Type, If-None-Match");
    }
    // other paths stay someone else's
    expect((await fetch(`${base}/api/v1/flagsX`, { method: "OPTIONS" })).status).toBe(418);
  });

  it("puts the headers on answers, 304s and errors, and exposes the ETag", async () => {
    const origin = { origin: "https://shop.example" };
    const ok = await get("/api/v1/flags", { ...bearer(stagingKey), ...origin });
    const etag = ok.headers.get("etag")!;
    const notModified = await get("/api/v1/flags", { ...bearer(stagingKey), ...origin, "if-none-match": etag });
    expect(notModified.status).toBe(304);
    const responses = [
      ok,
      notModified,
      await get("/api/v1/flags", origin),
      await get("/api/v1/flags?environment=qa", { ...bearer(stagingKey), ...origin }),
      await ofrep("/new-checkout", "{}", stagingKey, origin),
      await ofrep("", "{}", stagingKey, origin),
      await ofrep("/nope", "{}", stagingKey, origin),
      await fetch(`${base}/api/v1/flags`, { method: "DELETE", headers: origin }),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 304, 401, 404, 200, 200, 404, 405]);
    for (const res of responses) {
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(res.headers.get("access-control-expose-headers")).toBe("ETag");
    }
  });
});

describe.skipIf(inject("embeddedDatabase"))("npm run flags-edge, a process of its own on the same PostgreSQL", () => {
  let edge: ChildProcess;
  let edgeBase: string;
  beforeAll(async () => {
    const [node, args] = npmScript("flags-edge");
    edge = spawn(node, args, {
      env: { ...process.env, GREENLIGHT_FLAGS_PORT: "0", GREENLIGHT_FLAGS_HOST: "127.0.0.1" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    edgeBase = await new Promise<string>((resolve, reject) => {
      edge.once("exit", (code) => reject(new Error(`flags-edge exited with ${code}`)));
      edge.stdout!.on("data", (chunk: Buffer) => {
        const port = /listening on port (\d+)/.exec(chunk.toString())?.[1];
        if (port) resolve(`http://127.0.0.1:${port}`);
      });
    });
  }, 60_000);
  afterAll(async () => {
    if (edge.exitCode === null) {
      const exited = new Promise((resolve) => edge.once("exit", resolve));
      edge.kill("SIGTERM");
      await exited;
    }
  });

  it("serves a change made through the app within a second", async () => {
    const read = async () =>
      (
        (await (await fetch(`${edgeBase}/api/v1/flags`, { headers: bearer(productionKey) })).json()) as {
          flags: Record<string, boolean>;
        }
      ).flags["new-checkout"];
    expect(await read()).toBe(false);
    await updateFlagState(admin, { flagKey: "new-checkout", environmentKey: "production", enabled: true });
    expect(await within(1000, async () => (await read()) === true)).toBeLessThan(1000);
    await updateFlagState(admin, { flagKey: "new-checkout", environmentKey: "production", enabled: false });
    expect(await within(1000, async () => (await read()) === false)).toBeLessThan(1000);
    expect((await fetch(`${edgeBase}/`)).status).toBe(404);
  });
});
