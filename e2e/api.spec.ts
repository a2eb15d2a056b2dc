import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { createToken } from "./fixtures";
import { freshVersion } from "./journey-steps";
import { storageStateOf } from "./personas";

// Authorization over HTTP, for every route handler in app/. The list of routes is read from
// the file system: a new route without an entry in ROUTES fails this suite until someone
// states who may call it.

function routeFiles(dir = "app", found: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) routeFiles(full, found);
    else if (entry.name === "route.ts")
      found.push(
        path
          .dirname(full)
          .replace(/^app/, "")
          .replace(/\/\([^)]+\)/g, "") || "/",
      );
  }
  return found.sort();
}

type Check = (ctx: { request: APIRequestContext; page: Page; tokens: Tokens }) => Promise<void>;
interface Tokens {
  auditView: string;
  releaseCreate: string;
  deployTrigger: string;
}

const NOBODY = "01234567-89ab-7cde-8f01-23456789abcd";
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

/** A route that acts on a deployment: unknown ones are 404 to a caller who may act, 401 to nobody. */
function deploymentControl(name: string): { why: string; check: Check } {
  return {
    why: `deploy.trigger in the deployment's environment, by session or API token: ${name} a rollout`,
    check: async ({ request, tokens }) => {
      const url = `/api/v1/deployments/${NOBODY}/${name}`;
      expect((await request.post(url, bearer(tokens.deployTrigger))).status()).toBe(404);
      expect((await request.post(`/api/v1/deployments/not-an-id/${name}`, bearer(tokens.deployTrigger))).status()).toBe(
        404,
      );
      expect((await request.post(url, { maxRedirects: 0 })).status()).toBe(401);
    },
  };
}

const ROUTES: Record<string, { why: string; check: Check }> = {
  "/api/health": {
    why: "public: load balancers probe it; reveals no data",
    check: async ({ request }) => {
      expect((await request.get("/api/health")).status()).toBe(200);
    },
  },
  "/api/internal/query-count": {
    why: "exists only in benchmark servers",
    check: async ({ request }) => {
      expect((await request.get("/api/internal/query-count")).status()).toBe(404);
    },
  },
  "/api/auth/[...nextauth]": {
    why: "Auth.js's own sign-in endpoints: public by nature, throttled (access.spec.ts)",
    check: async ({ request }) => {
      expect((await request.get("/api/auth/csrf")).status()).toBe(200);
    },
  },
  "/api/v1/releases": {
    why: "release.create by API token only (CI); idempotent on application and version",
    check: async ({ request, tokens }) => {
      const release = {
        application: "storefront",
        version: freshVersion(1),
        commitSha: "0123456789abcdef0123456789abcdef01234567",
        title: "Release from the e2e suite",
        changelog: "Checks the API's rules",
      };
      const post = (token: string | null) =>
        request.post("/api/v1/releases", {
          data: release,
          headers: token ? { authorization: `Bearer ${token}` } : {},
          maxRedirects: 0,
        });
      expect((await post(tokens.releaseCreate)).status()).toBe(201);
      expect((await post(tokens.releaseCreate)).status()).toBe(200);
      expect((await post(tokens.auditView)).status()).toBe(403);
      expect((await post(null)).status()).toBe(401);
    },
  },
  "/api/live": {
    why: "environment.view somewhere, by session or API token; what open pages poll for changes",
    check: async ({ page, request, tokens }) => {
      const signedIn = await page.request.get("/api/live");
      expect(signedIn.status()).toBe(200);
      expect(signedIn.headers()["cache-control"]).toContain("no-store");
      expect(((await signedIn.json()) as { stamp: string }).stamp).toMatch(/^[0-9a-f]{16}$/);
      const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
      // a token that may see no environment, and a made-up one
      expect((await request.get("/api/live", bearer(tokens.auditView))).status()).toBe(403);
      const unknown = await request.get("/api/live", bearer("glt_made-up"));
      expect(unknown.status()).toBe(401);
      expect(((await unknown.json()) as { error: string }).error).toBe("unauthorized");
      // nobody at all: a poller gets 401 JSON, not a redirect to the sign-in page
      const anonymous = await request.get("/api/live", { maxRedirects: 0 });
      expect(anonymous.status()).toBe(401);
    },
  },
  "/api/notifications": {
    why: "the signed-in person's own inbox; an API token has none",
    check: async ({ page, request, tokens }) => {
      const mine = await page.request.get("/api/notifications?limit=5");
      expect(mine.status()).toBe(200);
      expect(mine.headers()["cache-control"]).toContain("no-store");
      const body = (await mine.json()) as { unread: number; items: unknown[] };
      expect(typeof body.unread).toBe("number");
      expect(Array.isArray(body.items)).toBe(true);
      expect((await page.request.get("/api/notifications?limit=0")).status()).toBe(422);
      expect((await page.request.get("/api/notifications?before=x")).status()).toBe(422);
      expect((await request.get("/api/notifications", bearer(tokens.auditView))).status()).toBe(403);
      expect((await request.get("/api/notifications", { maxRedirects: 0 })).status()).toBe(401);
    },
  },
  "/api/live/deployment": {
    why: "environment.view where the deployment runs; what its page polls",
    check: async ({ page, request }) => {
      expect((await page.request.get(`/api/live/deployment?id=${NOBODY}`)).status()).toBe(404);
      expect((await request.get(`/api/live/deployment?id=${NOBODY}`, { maxRedirects: 0 })).status()).toBe(401);
    },
  },
  "/api/v1/deployments/[id]": {
    why: "environment.view where it runs, by session or API token; 404 for one the caller may not see",
    check: async ({ request, tokens }) => {
      expect((await request.get(`/api/v1/deployments/${NOBODY}`, bearer(tokens.deployTrigger))).status()).toBe(404);
      expect((await request.get(`/api/v1/deployments/${NOBODY}`, { maxRedirects: 0 })).status()).toBe(401);
    },
  },
  "/api/v1/deployments/[id]/pause": deploymentControl("pause"),
  "/api/v1/deployments/[id]/resume": deploymentControl("resume"),
  "/api/v1/deployments/[id]/abort": deploymentControl("abort"),
  "/api/v1/deployments/[id]/promote-now": deploymentControl("promote-now"),
  "/api/v1/deployments/[id]/cancel": deploymentControl("cancel"),
  "/api/v1/deployments/[id]/checklist/[item]": {
    why: "checklist.tick in the deployment's environment, by session or API token: CI ticks a during or after item; 404 for one the caller may not see",
    check: async ({ request, page, tokens }) => {
      const data = { checked: true };
      const url = `/api/v1/deployments/${NOBODY}/checklist/${NOBODY}`;
      expect((await request.put(url, { data, maxRedirects: 0 })).status()).toBe(401);
      // a deployment the token may view (one behind production's figures), without checklist.tick:
      // refused before its item is looked up
      const csv = await request.get("/api/v1/metrics?range=90&format=csv", bearer(tokens.deployTrigger));
      expect(csv.status()).toBe(200);
      const deploymentId = (await csv.text()).split("\r\n")[1]?.split(",")[0];
      expect(deploymentId).toMatch(/^[0-9a-f-]{36}$/);
      const seen = `/api/v1/deployments/${deploymentId}/checklist/${NOBODY}`;
      expect((await request.put(seen, { ...bearer(tokens.deployTrigger), data })).status()).toBe(403);
      // the admin's session, who may tick: an unknown or malformed deployment, a malformed body
      expect((await page.request.put(url, { data })).status()).toBe(404);
      expect((await page.request.put(`/api/v1/deployments/not-an-id/checklist/${NOBODY}`, { data })).status()).toBe(
        404,
      );
      const malformed = await page.request.put(url, { data: { checked: "yes" } });
      expect(malformed.status()).toBe(422);
      expect(((await malformed.json()) as { fieldErrors: Record<string, string[]> }).fieldErrors).toHaveProperty(
        "checked",
      );
    },
  },
  "/api/v1/deployments/[id]/events": {
    why: "a webhook receiver, by its Standard Webhooks signature with the target's secret (no token)",
    check: async ({ request }) => {
      const unsigned = await request.post(`/api/v1/deployments/${NOBODY}/events`, { data: { type: "progress" } });
      expect(unsigned.status()).toBe(404);
    },
  },
  "/api/v1/releases/[id]/promotions": {
    why: "deploy.trigger in the target environment, by session or API token: CI promotes and waits",
    check: async ({ request, tokens }) => {
      // the README's pipeline: create a release, wait for development, promote to staging, poll to the end
      const created = await request.post("/api/v1/releases", {
        ...bearer(tokens.releaseCreate),
        data: {
          application: "storefront",
          version: freshVersion(2),
          commitSha: "89abcdef0123456789abcdef0123456789abcdef",
          title: "Promoted by the e2e pipeline",
          changelog: "Promoted and followed through the API",
        },
      });
      expect(created.status(), await created.text()).toBe(201);
      const { release } = (await created.json()) as { release: { id: string } };
      const promote = (token: string | null, environment = "staging") =>
        request.post(`/api/v1/releases/${release.id}/promotions`, {
          data: { environment },
          headers: token ? { authorization: `Bearer ${token}` } : {},
          maxRedirects: 0,
        });
      expect((await promote(null)).status()).toBe(401);
      expect((await promote(tokens.releaseCreate)).status()).toBe(403);
      let answer = await promote(tokens.deployTrigger);
      // development deploys by itself first: until then staging's "previous stage" gate says no
      await expect(async () => {
        if (answer.status() === 409) answer = await promote(tokens.deployTrigger);
        expect(answer.status(), await answer.text()).toBe(202);
      }).toPass({ timeout: 60_000, intervals: [1_000] });
      const deployment = (await answer.json()) as { id: string; links: { self: string } };
      let state = { status: "queued", final: false };
      await expect
        .poll(
          async () => {
            const read = await request.get(`/api/v1/deployments/${deployment.id}`, bearer(tokens.deployTrigger));
            state = (await read.json()) as { status: string; final: boolean };
            return state.final;
          },
          { timeout: 60_000, intervals: [1_000] },
        )
        .toBe(true);
      expect(state.status).toBe("succeeded");
      expect((await promote(tokens.deployTrigger)).status()).toBe(409);
    },
  },
  "/api/v1/releases/[id]/checks": {
    why: "POST: release.check where the check speaks (or where releases enter), by session or API token; GET: environment.view somewhere; 404 for an unknown release",
    check: async ({ request, page, tokens }) => {
      const url = `/api/v1/releases/${NOBODY}/checks`;
      const data = { name: "unit-tests", status: "success", url: "https://ci.example.test/runs/1" };
      // a token without release.check is refused before the release is looked up
      expect((await request.post(url, { ...bearer(tokens.deployTrigger), data })).status()).toBe(403);
      expect((await request.post(url, { data, maxRedirects: 0 })).status()).toBe(401);
      // the admin's session: an unknown or malformed release, a malformed status
      expect((await page.request.post(url, { data })).status()).toBe(404);
      expect((await page.request.post("/api/v1/releases/not-an-id/checks", { data })).status()).toBe(404);
      const malformed = await page.request.post(url, { data: { ...data, status: "passed" } });
      expect(malformed.status()).toBe(422);
      expect(((await malformed.json()) as { fieldErrors: Record<string, string[]> }).fieldErrors).toHaveProperty(
        "status",
      );
      expect((await page.request.post(url, { data: { ...data, environment: "nowhere" } })).status()).toBe(404);
      // reading: unknown release, a token that may view no environment, nobody
      expect((await request.get(url, bearer(tokens.deployTrigger))).status()).toBe(404);
      expect((await request.get(url, bearer(tokens.auditView))).status()).toBe(404);
      expect((await request.get(url, { maxRedirects: 0 })).status()).toBe(401);
    },
  },
  "/api/v1/environments/[key]/rollback": {
    why: "deploy.rollback in the environment, by session or API token, with a reason",
    check: async ({ request, tokens }) => {
      const url = "/api/v1/environments/production/rollback";
      const data = { application: "storefront", reason: "e2e" };
      expect((await request.post(url, { ...bearer(tokens.releaseCreate), data })).status()).toBe(403);
      expect((await request.post(url, { data, maxRedirects: 0 })).status()).toBe(401);
      expect(
        (await request.post(url, { ...bearer(tokens.deployTrigger), data: { application: "storefront" } })).status(),
      ).toBe(422);
    },
  },
  "/api/v1/environments/[key]/flags/[flag]": {
    why: "flag.toggle in the environment, by session or API token; where approval is needed it makes a request",
    check: async ({ request, tokens, page }) => {
      const url = "/api/v1/environments/production/flags/checkoutEnabled";
      const data = { enabled: false, reason: "e2e" };
      expect((await request.put(url, { ...bearer(tokens.releaseCreate), data })).status()).toBe(403);
      expect((await request.put(url, { ...bearer(tokens.deployTrigger), data })).status()).toBe(403);
      expect((await request.put(url, { data, maxRedirects: 0 })).status()).toBe(401);
      // the admin's session, with a body that is not a flag change: refused before anything
      expect((await page.request.put(url, { data: { enabled: "yes" } })).status()).toBe(422);
    },
  },
  "/api/v1/environments/compare": {
    why: "environment.view in both environments, by session or API token; a hidden or unknown one is 404, the same one twice 422",
    check: async ({ request, page, tokens }) => {
      const url = "/api/v1/environments/compare?a=staging&b=production";
      const answer = await request.get(url, bearer(tokens.deployTrigger));
      expect(answer.status(), await answer.text()).toBe(200);
      const drift = (await answer.json()) as { identical: boolean; flags: { count: number; differences: unknown[] } };
      expect(drift.flags.count).toBe(drift.flags.differences.length);
      // a token that may view no environment learns nothing of them
      expect((await request.get(url, bearer(tokens.auditView))).status()).toBe(404);
      expect((await request.get(url, { maxRedirects: 0 })).status()).toBe(401);
      expect((await page.request.get("/api/v1/environments/compare?a=staging&b=staging")).status()).toBe(422);
      expect((await page.request.get("/api/v1/environments/compare?a=staging")).status()).toBe(422);
      expect((await page.request.get("/api/v1/environments/compare?a=staging&b=nowhere")).status()).toBe(404);
    },
  },
  "/api/v1/environments/[key]/hold": {
    why: "deploy.trigger in the environment, by session or API token: releases a hold left by a rollback",
    check: async ({ request, tokens }) => {
      const url = "/api/v1/environments/production/hold?application=storefront";
      expect((await request.delete(url, bearer(tokens.releaseCreate))).status()).toBe(403);
      expect((await request.delete(url, { maxRedirects: 0 })).status()).toBe(401);
    },
  },
  "/api/v1/openapi.json": {
    why: "public: the API's description, no data",
    check: async ({ request }) => {
      const response = await request.get("/api/v1/openapi.json");
      expect(response.status()).toBe(200);
      expect(((await response.json()) as { openapi: string }).openapi).toBe("3.1.0");
    },
  },
  "/audit/export": {
    why: "audit.view, by session or API token",
    check: async ({ page, tokens, request }) => {
      // signed in: the admin gets every event, a business owner (no audit.view) is refused
      const admin = await page.request.get("/audit/export");
      expect(admin.status()).toBe(200);
      expect(admin.headers()["content-type"]).toContain("text/csv");
      const owner = await page
        .context()
        .browser()!
        .newContext({ storageState: storageStateOf("businessOwner") });
      expect((await owner.request.get("/audit/export")).status()).toBe(403);
      await owner.close();
      // tokens: with and without the permission, and a made-up one
      const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
      expect((await request.get("/audit/export", bearer(tokens.auditView))).status()).toBe(200);
      expect((await request.get("/audit/export", bearer(tokens.releaseCreate))).status()).toBe(403);
      expect((await request.get("/audit/export", bearer("glt_made-up"))).status()).toBe(401);
      expect(
        (await request.get("/audit/export?from=2026-03-05&to=2026-03-01", bearer(tokens.auditView))).status(),
      ).toBe(422);
      // nobody at all: the route kit's 401 (a script is answered, not sent to a page)
      const anonymous = await request.get("/audit/export", { maxRedirects: 0 });
      expect(anonymous.status()).toBe(401);
      expect(anonymous.headers()["www-authenticate"]).toContain("Bearer");
    },
  },
  "/api/v1/metrics": {
    why: "a signed-in person or a token with environment.view; 404 for an unknown environment, 422 for a bad range",
    async check({ request, page, tokens }) {
      const json = await page.request.get("/api/v1/metrics?range=7");
      expect(json.status()).toBe(200);
      expect(await json.json()).toMatchObject({ summary: { deployments: expect.any(Number) } });
      const csv = await page.request.get("/api/v1/metrics?range=7&format=csv");
      expect(csv.status()).toBe(200);
      expect(csv.headers()["content-type"]).toContain("text/csv");
      expect((await csv.text()).split("\r\n")[0]).toContain("deployment_id");
      expect((await request.get("/api/v1/metrics", bearer(tokens.deployTrigger))).status()).toBe(200);
      // a token that may view no environment sees none: the default environment is unknown
      expect((await request.get("/api/v1/metrics", bearer(tokens.releaseCreate))).status()).toBe(404);
      expect((await request.get("/api/v1/metrics", bearer("glt_made-up"))).status()).toBe(401);
      expect((await page.request.get("/api/v1/metrics?environment=no-such-place")).status()).toBe(404);
      const backwards = await page.request.get("/api/v1/metrics?from=2026-03-05&to=2026-03-01");
      expect(backwards.status()).toBe(422);
      expect(((await backwards.json()) as { fieldErrors: Record<string, string[]> }).fieldErrors.to).toEqual([
        "End the range on or after its first day",
      ]);
      expect((await page.request.get("/api/v1/metrics?from=2022-01-01&to=2026-03-01")).status()).toBe(422);
    },
  },
};

test("every route handler has a stated rule, and answers by it", async ({ page, playwright }) => {
  // one of the rules is a pipeline's whole promote-and-wait, with real deploys
  test.setTimeout(180_000);
  // machines and strangers: a client with no session cookie
  const request = await playwright.request.newContext({
    baseURL: test.info().project.use.baseURL,
    storageState: { cookies: [], origins: [] },
  });
  const routes = routeFiles();
  expect(
    routes.filter((r) => !ROUTES[r]),
    "routes without an authorization rule in e2e/api.spec.ts",
  ).toEqual([]);
  const tokens: Tokens = {
    auditView: await createToken(page, "e2e audit reader", "audit.view"),
    releaseCreate: await createToken(page, "e2e release maker", "release.create"),
    deployTrigger: await createToken(page, "e2e pipeline", ["environment.view", "deploy.trigger"]),
  };
  for (const route of routes)
    await test.step(`${route}: ${ROUTES[route]!.why}`, () => ROUTES[route]!.check({ request, page, tokens }));
});
