import type { Locator, Page } from "@playwright/test";
import { applicationName, expect, test } from "./fixtures";
import { boardCell } from "./journey-steps";
import { storageStateOf } from "./personas";
import { GATE_KEYS } from "../lib/domain/gates";

// The board's gate summaries, its "Waiting for me" filter and the header's count of pending
// work, on the demo preset. The QA and product-owner journeys first bring a release of their
// own to staging (e2e/fixtures.ts), so something surely waits for them, and find its cell by
// its version. Counts are read from the page rather than fixed, so the journey holds whatever
// other journeys left waiting; what is checked is that the three agree and that each persona's
// work sits where their permissions put it.

const ENVIRONMENTS = ["Development", "Staging", "Production"] as const;

/** The count in the "Pipeline" link's name ("Pipeline, 3 waiting for you"); 0 without a badge. */
async function navCount(page: Page): Promise<number> {
  const link = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Pipeline\b/ });
  const match = /(\d+) waiting for you/.exec((await link.textContent()) ?? "");
  return match ? Number(match[1]) : 0;
}

/** Per environment column, the "Waits for your …" marks of the board's cells. */
async function marksByColumn(board: Locator): Promise<Record<string, string[]>> {
  // the board streams in behind its loading skeleton: read it once its columns are there
  await expect(board.getByRole("columnheader", { name: /Production/ })).toBeVisible();
  const headers = (await board.getByRole("columnheader").allInnerTexts()).slice(1);
  const marks: Record<string, string[]> = {};
  const rows = board.getByRole("row");
  for (let r = 1; r < (await rows.count()); r++) {
    const cells = rows.nth(r).getByRole("cell");
    for (let c = 0; c < (await cells.count()); c++) {
      const environment = ENVIRONMENTS.find((e) => headers[c]?.includes(e)) ?? `column ${c}`;
      for (const text of await cells
        .nth(c)
        .getByText(/^Waits for your /)
        .allInnerTexts())
        (marks[environment] ??= []).push(text);
    }
  }
  return marks;
}

test.describe("as QA", () => {
  test.use({ storageState: storageStateOf("qa") });

  test("waiting cells show their gates, and 'Waiting for me' keeps the checklists to tick", async ({
    page,
    releases,
  }) => {
    const release = await releases.inStaging("public-api", "Rate limits per partner");
    const application = applicationName(release.application);
    // its production cell: the release that waits, its gates and that it waits for QA
    const cell = await boardCell(page, application, "Production");
    await expect(cell.getByRole("link", { name: release.version, exact: true })).toHaveAttribute("href", release.path);
    const gates = GATE_KEYS.length;
    const summary = cell.getByRole("link", {
      name: new RegExp(`^(\\d of ${gates} gates pass: waiting for \\w|All ${gates} gates pass$)`),
    });
    await expect(summary).toBeVisible();
    await expect(summary).toHaveAttribute("href", release.path);
    await expect(summary).toHaveAttribute("title", /\S/);
    await expect(cell.getByText("Waits for your checklist ticks")).toBeVisible();
    const count = await navCount(page);
    expect(count).toBeGreaterThan(0);

    await page.getByRole("link", { name: /^Waiting for me/ }).click();
    await expect(page).toHaveURL(/[?&]mine=1/);
    await expect(page.getByRole("link", { name: /^Waiting for me/ })).toHaveAttribute("aria-current", "true");
    const marks = await marksByColumn(page.getByRole("table").first());
    // QA approves nowhere that needs approvals: all their work is ticking — the checklists of
    // releases running in staging (Testing in Staging, production's pre-deployment one), which
    // gate their promotion to production
    expect(Object.values(marks).flat()).toHaveLength(count);
    expect(new Set(Object.values(marks).flat())).toEqual(new Set(["Waits for your checklist ticks"]));
    expect(marks.Production?.length ?? 0).toBeGreaterThan(0);
    expect(marks.Development).toBeUndefined();
    // and the filtered board keeps this journey's release among them
    const mine = await boardCell(page, application, "Production", "/?mine=1");
    await expect(mine.getByRole("link", { name: release.version, exact: true })).toBeVisible();
    await expect(mine.getByText("Waits for your checklist ticks")).toBeVisible();
  });
});

test.describe("as the product owner", () => {
  test.use({ storageState: storageStateOf("productOwner") });

  test("'Waiting for me' keeps the production approvals, as many as the header counts", async ({ page, releases }) => {
    const release = await releases.inStaging("web-admin", "Bulk stock import");
    const application = applicationName(release.application);
    // the release counts once its deploy to staging has succeeded, seconds after the promotion
    // (and the demo's own waiting releases may all have been approved by other journeys by now)
    await expect
      .poll(
        async () => {
          await page.goto("/?mine=1");
          return navCount(page);
        },
        { timeout: 30_000, intervals: [1_000] },
      )
      .toBeGreaterThan(0);
    const count = await navCount(page);
    const marks = await marksByColumn(page.getByRole("table").first());
    expect(marks).toEqual({ Production: Array<string>(count).fill("Waits for your approval") });
    await expect(
      page
        .getByRole("table")
        .first()
        .getByRole("link", { name: /gates pass/ }),
    ).toHaveCount(count);
    // among them this journey's release, whose approval she has not given yet
    const cell = await boardCell(page, application, "Production", "/?mine=1");
    await expect(cell.getByRole("link", { name: release.version, exact: true })).toHaveAttribute("href", release.path);
    await expect(cell.getByText("Waits for your approval")).toBeVisible();
  });
});

test.describe("as a developer", () => {
  test.use({ storageState: storageStateOf("developer") });

  test("with nothing to approve or tick, no count, and a friendly empty filter", async ({ page }) => {
    await page.goto("/?mine=1");
    expect(await navCount(page)).toBe(0);
    await expect(page.getByText("Nothing waits for you")).toBeVisible();
    await page.getByRole("link", { name: "Show the whole board" }).click();
    await expect(page).toHaveURL(/\/$/);
    // the whole board: every demo application (other journeys may add their own)
    const rowheaders = page.getByRole("table").first().getByRole("rowheader");
    for (const name of ["Storefront", "Payments API", "Web admin", "Public API", "Notifications worker"])
      await expect(rowheaders.filter({ hasText: name })).toHaveCount(1);
  });
});

test("the board filters by application and keeps the other filter in its links", async ({ page }) => {
  await page.goto("/");
  await page
    .getByRole("navigation", { name: "Filter by application" })
    .getByRole("link", { name: "Payments API" })
    .click();
  await expect(page).toHaveURL(/\?application=payments-api$/);
  const board = page.getByRole("table").first();
  await expect(board.getByRole("rowheader")).toHaveCount(1);
  await expect(board.getByRole("rowheader")).toContainText("Payments API");
  await expect(page.getByRole("link", { name: /^Waiting for me/ })).toHaveAttribute(
    "href",
    "/?application=payments-api&mine=1",
  );
});

test.describe("at phone width", () => {
  test.use({ viewport: { width: 390, height: 844 }, storageState: storageStateOf("qa") });

  test("the filtered board fits the screen", async ({ page }) => {
    for (const path of ["/", "/?mine=1"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1, name: "Pipeline" })).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(1);
    }
  });
});
