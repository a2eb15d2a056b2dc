import { randomBytes } from "node:crypto";
import { expect, test, unique } from "./fixtures";
import { freshVersion } from "./journey-steps";

// Malformed requests to the real server answer 4xx, never 500 (proxy.ts, the route kit and
// lib/data/input.ts; the property-based fuzz tests are lib/data/bad-input.test.ts and
// app/api/bad-input.test.ts), and a changelog built to be slow renders like any other
// (components/release/changelog-blocks.ts).

const anonymous = { storageState: { cookies: [], origins: [] } };

test.describe("bad input", () => {
  test("an address that does not decode, or holds a NUL, is a 404", async ({ request }) => {
    for (const path of ["/releases/%ff", "/environments/%ff", "/environments/%E0%A4%A/settings", "/releases/%00"])
      expect((await request.get(path, { maxRedirects: 0 })).status(), path).toBe(404);
  });

  test("an unknown environment's settings page answers 404, a known one 200", async ({ page }) => {
    const missing = await page.goto(`/environments/no-such-${unique()}/settings`);
    expect(missing?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Environment not found" })).toBeVisible();
    const known = await page.goto("/environments/staging/settings");
    expect(known?.status()).toBe(200);
    await expect(page.getByRole("heading", { name: "Staging settings" })).toBeVisible();
  });

  test("a server action sent from another site is refused with 403", async ({ request, baseURL }) => {
    const action = (origin: string) =>
      request.post("/releases/new", {
        headers: { "next-action": "7f".padEnd(42, "0"), origin, "content-type": "text/plain;charset=UTF-8" },
        data: "[]",
        maxRedirects: 0,
      });
    const foreign = await action("https://evil.example");
    expect(foreign.status()).toBe(403);
    // from the server's own origin the same (made-up) action reaches Next, which refuses the id
    const own = (await action(new URL(baseURL!).origin)).status();
    expect(own).not.toBe(403);
    expect(own).toBeLessThan(500);
  });

  test("the audit log shows bad filters as messages; the export answers 422, or 401 to nobody", async ({
    page,
    request,
    playwright,
    baseURL,
  }) => {
    await page.goto("/audit?from=0000-01-01");
    await expect(page.getByText("Use a date between the years 1970 and 9999 (UTC)")).toBeVisible();
    await expect(page.getByText("These filters need attention")).toBeVisible();
    await page.goto("/audit?actor=a%00b");
    await expect(page.getByText(/Remove the NUL character/)).toBeVisible();

    for (const query of ["from=0000-01-01", "to=0000-01-01", "actor=a%00b"]) {
      const response = await request.get(`/audit/export?${query}`);
      expect(response.status(), query).toBe(422);
    }
    const nobody = await playwright.request.newContext({ baseURL, ...anonymous });
    const refused = await nobody.get("/audit/export", { maxRedirects: 0 });
    expect(refused.status()).toBe(401);
    expect(refused.headers()["www-authenticate"]).toContain("Bearer");
    await nobody.dispose();
  });

  test("the API names a field holding a NUL; a 64 KB changelog of brackets renders at once", async ({
    page,
    request,
    releaseToken,
  }) => {
    const headers = { authorization: `Bearer ${releaseToken}` };
    const release = (changes: Record<string, unknown>) => ({
      application: "storefront",
      version: freshVersion(7),
      commitSha: randomBytes(20).toString("hex"),
      title: "Bad input (e2e)",
      changelog: "### Added\n- A changelog",
      ...changes,
    });
    for (const [field, changes] of [
      ["title", { title: "Saved\u0000 cards" }],
      ["links.0.url", { links: [{ label: "PR", url: "https://x.example/\u0000" }] }],
      ["commitAt", { commitAt: "9999-12-31T23:59:59-14:00" }],
    ] as const) {
      const refused = await request.post("/api/v1/releases", { headers, data: release(changes) });
      expect(refused.status(), field).toBe(422);
      expect(Object.keys(((await refused.json()) as { fieldErrors: object }).fieldErrors)).toEqual([field]);
    }

    // the bracket changelog took the old parser 1.4 s per view; a normal one keeps its look
    const brackets = await request.post("/api/v1/releases", {
      headers,
      data: release({
        changelog: `## Fixed\n- Keeps **its look**, \`code\` and [links](https://x.example/1)\n\n${"[".repeat(65_000)}`,
      }),
    });
    expect(brackets.status()).toBe(201);
    const { id } = ((await brackets.json()) as { release: { id: string } }).release;
    const started = Date.now();
    const view = await request.get(`/releases/${id}`);
    expect(view.status()).toBe(200);
    // generous for a busy machine, and still far below the seconds eight such views used to take
    expect(Date.now() - started).toBeLessThan(5_000);

    await page.goto(`/releases/${id}`);
    const changelog = page.getByRole("region", { name: "Changelog" });
    await expect(changelog.getByRole("heading", { level: 3, name: "Fixed" })).toBeVisible();
    await expect(changelog.getByRole("listitem")).toHaveCount(1);
    await expect(changelog.locator("strong")).toHaveText("its look");
    await expect(changelog.locator("code")).toHaveText("code");
    await expect(changelog.getByRole("link", { name: "links" })).toHaveAttribute("href", "https://x.example/1");
    await expect(changelog.getByText("[[[[[[[[", { exact: false })).toBeVisible();
  });
});
