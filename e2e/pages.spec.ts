import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { CELL_STATE_META } from "../lib/domain/pipeline";

// The first pages, as a product owner reads them, on the demo preset that `npm start` loads
// into an empty database: pipeline → release → environment, the releases list and its pages,
// not-found pages for ids that do not exist, and the phone layout.

const ENVIRONMENTS = ["Development", "Staging", "Production"];

async function expectNoHorizontalPageScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
}

test("the pipeline shows environments in order and every application's state", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Pipeline" })).toBeVisible();
  const board = page.getByRole("table").first();
  const headers = await board.getByRole("columnheader").allInnerTexts();
  const order = ENVIRONMENTS.map((name) => headers.findIndex((h) => h.includes(name)));
  expect(order.every((i) => i >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  for (const app of ["Storefront", "Payments API", "Web admin", "Public API", "Notifications worker"]) {
    await expect(board.getByRole("rowheader", { name: new RegExp(app, "i") })).toBeVisible();
  }
  // statuses carry words, not only colours: every cell says its state, whatever it is now (a
  // waiting release says whether its gates let it go: lib/domain/gates.ts readinessLabel)
  const states = new RegExp(
    `^(${Object.values(CELL_STATE_META)
      .map((m) => m.label)
      .join("|")}|Ready to promote|Waiting for [A-Za-z, ]+)$`,
  );
  // other journeys may add applications of their own to the server's database: the five demo
  // applications are asserted on by name, not by the board's total
  for (const app of ["Storefront", "Payments API", "Web admin", "Public API", "Notifications worker"]) {
    const row = board
      .locator("tbody")
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: new RegExp(app, "i") }) });
    const cells = row.getByRole("cell");
    await expect(cells).toHaveCount(ENVIRONMENTS.length);
    for (let c = 0; c < ENVIRONMENTS.length; c++) await expect(cells.nth(c).getByText(states)).toBeVisible();
  }
});

test("a release opens from the pipeline and shows its path through the environments", async ({ page, releases }) => {
  // a release of its own, running in development: found on the board by its version
  const release = await releases.inDevelopment("storefront", "Gift wrapping option in the basket");
  await page.goto("/");
  const board = page.getByRole("table").first();
  const storefront = board.getByRole("row").filter({ has: page.getByRole("rowheader", { name: /storefront/i }) });
  await storefront.getByRole("link", { name: release.version, exact: true }).first().click();
  await expect(page).toHaveURL(new RegExp(`${release.path}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/storefront/i);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(release.version);
  for (const name of ENVIRONMENTS) await expect(page.getByText(name).first()).toBeVisible();
});

test("the releases list pages through the history and filters by application", async ({ page }) => {
  await page.goto("/releases");
  await expect(page.getByRole("heading", { level: 1, name: "Releases" })).toBeVisible();
  const table = page.getByRole("table");
  const firstPageRows = await table.getByRole("row").count();
  expect(firstPageRows).toBeGreaterThan(10);
  await expect(page.getByText(/Showing 1–\d+ of \d+/)).toBeVisible();

  const firstVersion = await table.getByRole("row").nth(1).innerText();
  await page.getByRole("navigation", { name: "Pagination" }).getByRole("link", { name: /next/i }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByText(/Showing \d+–\d+ of \d+/)).toContainText(/Showing (26|21|51)–/);
  expect(await table.getByRole("row").nth(1).innerText()).not.toEqual(firstVersion);

  await page
    .getByRole("navigation", { name: "Filter by application" })
    .getByRole("link", { name: /payments api/i })
    .click();
  await expect(page).toHaveURL(/application=payments-api/);
  const rows = table.getByRole("row");
  const count = await rows.count();
  for (let i = 1; i < Math.min(count, 6); i++) await expect(rows.nth(i)).toContainText(/payments/i);
});

test("an environment page shows its settings, what runs there and its history", async ({ page }) => {
  await page.goto("/environments");
  await page
    .getByRole("link", { name: /production/i })
    .first()
    .click();
  await expect(page).toHaveURL(/\/environments\/production$/);
  await expect(page.getByRole("heading", { level: 1, name: /production/i })).toBeVisible();
  await expect(page.getByText(/canary/i).first()).toBeVisible();
  await expect(page.getByText(/protected/i).first()).toBeVisible();
  await expect(page.getByRole("region", { name: /applications in production/i })).toBeVisible();
});

test("ids that do not exist show the not-found page, not an error", async ({ page }) => {
  for (const [path, heading] of [
    ["/releases/00000000-0000-7000-8000-000000000000", "Release not found"],
    ["/releases/not-a-uuid", "Release not found"],
    ["/environments/no-such-environment", "Environment not found"],
    ["/no/such/page", "Page not found"],
  ] as const) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  }
});

test("the health endpoint reports the database", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: "ok", database: { status: "up" } });
});

test.describe("at phone width", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("pages fit the screen and the pipeline stays usable", async ({ page }) => {
    for (const path of ["/", "/releases", "/environments/production", "/environments/compare?a=staging&b=production"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectNoHorizontalPageScroll(page);
    }
    await page.goto("/");
    await expect(page.getByText(/storefront/i).first()).toBeVisible();
  });
});

test("a page that refreshes itself asks the server for itself only, and a link's page is fetched when it is reached for", async ({
  page,
  releases,
}) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Pipeline" })).toBeVisible();
  // the router's requests for pages (React Server Component payloads), by path
  const asked: string[] = [];
  page.on("request", (request) => {
    if (request.headers()["rsc"] === "1") asked.push(new URL(request.url()).pathname);
  });
  // a new release moves the board: it re-renders in place with it
  const release = await releases.inDevelopment("storefront", "Refresh without prefetching (e2e)");
  const board = page.getByRole("table").first();
  await expect(board.getByRole("link", { name: release.version, exact: true }).first()).toBeVisible({
    timeout: 30_000,
  });
  expect(asked.length, "the board refreshed itself").toBeGreaterThan(0);
  expect(
    asked.filter((path) => path !== "/"),
    "no page the board links to was fetched",
  ).toEqual([]);

  // reaching for a link fetches its page ahead of the click
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Releases", exact: true }).hover();
  await expect.poll(() => asked.includes("/releases"), { timeout: 15_000 }).toBe(true);
});
