/// <reference types="vite/client" />
import { tokenOwnerId } from "@/lib/test/tokens";
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { parseInput } from "@/lib/data/input";
import { releaseCreateInput } from "@/lib/data/releases/create";
import { ENVIRONMENT_PERMISSIONS, GLOBAL_PERMISSIONS, toDbPermission } from "@/lib/domain/permissions";
import type { Permission as DbPermission } from "@/lib/generated/prisma/client";
import { MAX_BODY_BYTES } from "@/lib/http/route";
import { loadPreset } from "@/lib/presets/load";
import { hashToken } from "@/lib/session";
import {
  ALWAYS_TRIED,
  FUZZ_SEED,
  brokenPercentEncoding,
  malformedValue,
  malformedVersionsOf,
  rowsFingerprint,
  unstorableString,
} from "@/lib/test/malformed";
import { resetDatabase } from "@/lib/test/reset";
import { GET as exportAudit } from "../audit/export/route";
import { GET as live } from "./live/route";

// Malformed requests to every /api/v1 route handler and to the other routes of the route kit
// (lib/http/route.ts): each answers 4xx — never 5xx — and a refused request changes no row.
// The v1 handlers are found on disk (a new route is fuzzed without being listed here); the
// inputs come from lib/test/malformed.ts, with a fixed seed (FUZZ_SEED replays another).
// Operations' inputs are fuzzed directly in lib/data/bad-input.test.ts; pages and server
// actions (proxy.ts) in e2e/bad-input.spec.ts.

type Handler = (
  request: Request,
  context?: { params: Promise<Record<string, string>> },
) => Response | Promise<Response>;

const v1 = import.meta.glob<Record<string, unknown>>("./v1/**/route.ts", { eager: true });
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every v1 handler: its URL path (dynamic segments as [name]) and method. */
const V1_HANDLERS = Object.entries(v1).flatMap(([file, module]) =>
  METHODS.filter((method) => typeof module[method] === "function").map((method) => ({
    path: file.replace(/^\.\//, "/api/").replace(/\/route\.ts$/, ""),
    method,
    handler: module[method] as Handler,
  })),
);

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
let token = "";

/** The status of `handler` for a request, checking that a refusal changed no row. */
async function answer(handler: Handler, request: Request, params: Record<string, string> = {}): Promise<number> {
  const before = await rowsFingerprint();
  const response = await handler(request, { params: Promise.resolve(params) });
  await response.arrayBuffer(); // a streamed body fails, if it does, only while it is read
  if (response.status >= 400) expect(await rowsFingerprint(), `${request.method} ${request.url}`).toBe(before);
  return response.status;
}

/** A value as query text (a value nested too deep for JSON.stringify stands for itself by name). */
function textOf(value: unknown): string {
  try {
    return typeof value === "string" ? value : (JSON.stringify(value) ?? "undefined");
  } catch {
    return "deep";
  }
}

// a URL holds UTF-8 only: a lone surrogate can only come as U+FFFD (or as broken bytes)
const queryText = (value: unknown) => encodeURIComponent(textOf(value).toWellFormed()).slice(0, 4_000);
const QUERY_KEYS = ["actor", "action", "environment", "from", "to", "page"];

/** A query string holding malformed values, raw (broken percent-encoding stays broken) or encoded. */
const malformedQuery = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 8 })),
      fc.oneof(brokenPercentEncoding, unstorableString.map(queryText), malformedValue.map(queryText)),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((pairs) => pairs.map(([key, value]) => `${encodeURIComponent(key)}=${value}`).join("&"));

/** Each known query key alone with each of ALWAYS_TRIED: a malformed value beside others would hide behind them. */
const QUERY_EXAMPLES = QUERY_KEYS.flatMap((key) => [
  ...ALWAYS_TRIED.map((value) => `${key}=${queryText(value)}`),
  `${key}=%ff`,
]);

const VALID_RELEASE = {
  application: "storefront",
  version: "1.4.0",
  commitSha: "3f2a9c1e7b4d5a6f8e9d0c1b2a3f4e5d6c7b8a90",
  commitAt: "2026-03-01T12:00:00Z",
  title: "Checkout with saved cards",
  changelog: "## Added\n- Saved cards at checkout",
  links: [{ label: "Pull request", url: "https://github.com/example/storefront/pull/42" }],
};

/** Whether release.create's own check (zod, then what PostgreSQL cannot store) accepts `body`. */
function releaseAccepts(body: unknown): boolean {
  try {
    parseInput(releaseCreateInput, body);
    return true;
  } catch {
    return false;
  }
}

const post = (url: string, body: string, contentType = "application/json", bearer = token) =>
  new Request(url, {
    method: "POST",
    headers: { "content-type": contentType, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body,
  });

beforeAll(async () => {
  await resetDatabase();
  await loadPreset(db(), "000-monepiceriz", { password: "bad-input-test" });
  // a token holding every permission, so that only the input can be the reason for a refusal
  token = `glt_${randomBytes(24).toString("base64url")}`;
  await db().apiToken.create({
    data: {
      name: "fuzz",
      ownerId: await tokenOwnerId(),
      prefix: token.slice(0, 8),
      tokenHash: hashToken(token),
      permissions: [...ENVIRONMENT_PERMISSIONS, ...GLOBAL_PERMISSIONS].map((p) => toDbPermission(p) as DbPermission),
    },
  });
}, 120_000);

describe("the malformed requests that answered 500", () => {
  const releases = V1_HANDLERS.find((h) => h.path === "/api/v1/releases" && h.method === "POST")!.handler;
  const create = async (body: unknown) => {
    const response = await releases(post("http://localhost/api/v1/releases", JSON.stringify(body)));
    return { status: response.status, body: (await response.json()) as { fieldErrors?: Record<string, string[]> } };
  };

  it.each([
    ["title", { title: "Saved\u0000 cards" }],
    ["changelog", { changelog: "## Added\n- \u0000" }],
    ["application", { application: "store\u0000front" }],
    ["links.0.label", { links: [{ label: "P\u0000R", url: "https://x.example/1" }] }],
    ["links.0.url", { links: [{ label: "PR", url: "https://x.example/\u0000" }] }],
    ["title", { title: "lone \uD800 surrogate" }],
    ["commitAt", { commitAt: "0000-01-01T00:00:00Z" }],
    ["commitAt", { commitAt: "9999-12-31T23:59:59-14:00" }],
  ])("POST /api/v1/releases with a bad %s is a 422 naming it", async (field, change) => {
    const { status, body } = await create({ ...VALID_RELEASE, ...change });
    expect(status).toBe(422);
    expect(Object.keys(body.fieldErrors ?? {})).toEqual([field]);
    expect(await db().release.count()).toBe(0);
  });

  it("answers 413 for a body over the limit, before parsing it", async () => {
    const huge = JSON.stringify({ ...VALID_RELEASE, changelog: "x".repeat(MAX_BODY_BYTES) });
    expect((await releases(post("http://localhost/api/v1/releases", huge))).status).toBe(413);
  });

  it.each([
    ["from", "?from=0000-01-01"],
    ["to", "?to=0000-01-01"],
    ["actor", "?actor=%00"],
    ["actor", "?actor=a%00b&from=2026-01-01"],
  ])("GET /audit/export with a bad %s is a 422 naming it", async (field, query) => {
    const response = await exportAudit(
      new Request(`http://localhost/audit/export${query}`, { headers: { authorization: `Bearer ${token}` } }),
    );
    expect(response.status).toBe(422);
    const body = (await response.json()) as { fieldErrors: Record<string, string[]> };
    expect(Object.keys(body.fieldErrors)).toEqual([field]);
  });
});

describe("every /api/v1 route and route-kit route, fuzzed", () => {
  it("finds the v1 routes on disk", () => {
    expect(V1_HANDLERS.map((h) => `${h.method} ${h.path}`).sort()).toEqual(
      expect.arrayContaining(["GET /api/v1/openapi.json", "GET /api/v1/releases", "POST /api/v1/releases"]),
    );
  });

  const versions = malformedVersionsOf(VALID_RELEASE);
  // a value nested too deep for JSON.stringify is sent as nested arrays of that depth instead
  const asBody = ({ input }: { input: unknown }) => {
    try {
      const text = JSON.stringify(input) ?? "";
      // what the server reads is the JSON (a Date arrives as its ISO text, undefined not at all)
      return { text, input: text ? (JSON.parse(text) as unknown) : undefined };
    } catch {
      return { text: "[".repeat(10_000) + "]".repeat(10_000), input: undefined };
    }
  };
  const bodyOf = fc.oneof(
    // JSON: a valid release made malformed in one place
    versions.arbitrary.map(asBody),
    // not JSON at all, or cut short
    fc.string({ unit: "binary", maxLength: 200 }).map((text) => ({ text, input: undefined })),
    fc.nat({ max: 200 }).map((n) => ({ text: JSON.stringify(VALID_RELEASE).slice(0, n), input: undefined })),
    // nested deeper than anything reads
    fc.nat({ max: 50_000 }).map((n) => ({ text: "[".repeat(n) + "]".repeat(n), input: undefined })),
  );

  for (const { path, method, handler } of V1_HANDLERS) {
    const params = [...path.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!);
    // first each malformed place of a release alone, then each malformed query value alone
    const examples: [string, { text: string; input: unknown }, string, string[]][] = [
      ...versions.examples.map((example) => ["", asBody(example), "application/json", params.map(() => "%ff")]),
      ...QUERY_EXAMPLES.map((query) => [
        query,
        asBody({ input: VALID_RELEASE }),
        "text/plain",
        params.map(() => "%00"),
      ]),
    ] as [string, { text: string; input: unknown }, string, string[]][];
    it(`${method} ${path}: never 5xx, 4xx for malformed input, and a refusal changes nothing`, async () => {
      await fc.assert(
        fc.asyncProperty(
          malformedQuery,
          bodyOf,
          fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", ""),
          fc.array(fc.oneof(brokenPercentEncoding, unstorableString), {
            minLength: params.length,
            maxLength: params.length,
          }),
          async (query, body, contentType, values) => {
            const url = `http://localhost${path}?${query}`;
            const request =
              method === "GET" || method === "DELETE"
                ? new Request(url, { method, headers: { authorization: `Bearer ${token}` } })
                : post(url, body.text, contentType);
            const status = await answer(handler, request, Object.fromEntries(params.map((p, i) => [p, values[i]!])));
            expect(status, `${method} ${url}`).toBeLessThan(500);
            // the JSON route refuses what its operation's check refuses; the document is public
            if (method === "POST" && !(body.input !== undefined && releaseAccepts(body.input)))
              expect(status, `${method} ${url} ${body.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
          },
        ),
        { seed: FUZZ_SEED, numRuns: examples.length + RUNS, examples },
      );
    });
  }

  it("GET /audit/export (query filters): never 5xx, 422 for malformed filters, and a refusal changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(malformedQuery, async (query) => {
        const url = `http://localhost/audit/export?${query}`;
        const status = await answer(exportAudit, new Request(url, { headers: { authorization: `Bearer ${token}` } }));
        expect([200, 422], url).toContain(status);
      }),
      {
        seed: FUZZ_SEED,
        numRuns: QUERY_EXAMPLES.length + RUNS,
        examples: QUERY_EXAMPLES.map((query) => [query]),
      },
    );
  });

  it("GET /api/live: never 5xx whatever the query and the credentials", async () => {
    await fc.assert(
      fc.asyncProperty(
        malformedQuery,
        fc.oneof(
          fc.constant(`Bearer ${token}`),
          fc.string({ maxLength: 40 }).map((s) => `Bearer ${s}`),
        ),
        async (query, authorization) => {
          const url = `http://localhost/api/live?${query}`;
          const status = await answer(live, new Request(url, { headers: { authorization } }));
          expect([200, 401], url).toContain(status);
        },
      ),
      { seed: FUZZ_SEED, numRuns: RUNS },
    );
  });
});
