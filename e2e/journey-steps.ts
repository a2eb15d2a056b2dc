import { randomBytes } from "node:crypto";
import { expect, type Page } from "@playwright/test";

// The steps every promotion journey takes on a release's page, as people take them: create a
// release through the form, tick a checklist, approve, promote, and watch the deploy finish.
// Shared by the demo journey (promotion-journey.spec.ts) and the preset walks (presets.spec.ts).

const FINISHED = /^(Succeeded|Failed|Rolled back|Cancelled)$/;

export const gate = (page: Page, environment: string, label: string) =>
  page
    .getByRole("list", { name: `Gates for ${environment}` })
    .getByRole("listitem")
    .filter({ hasText: label });

export const promoteButton = (page: Page, environment: string) =>
  page.getByRole("button", { name: `Promote to ${environment}`, exact: true });

/** A version no earlier run used, valid semver; unique even for two calls in the same millisecond. */
export const freshVersion = (major: number) => `${major}.0.0-e2e.${Date.now()}.r${randomBytes(3).toString("hex")}`;

/** Creates a release through "New release" and returns the path of its page. */
export async function createRelease(page: Page, release: { application: string; version: string; title: string }) {
  await page.goto("/releases/new");
  await expect(page.getByRole("heading", { level: 1, name: "New release" })).toBeVisible();
  await page.getByLabel("Application").selectOption(release.application);
  await page.getByLabel("Version").fill(release.version);
  await page.getByLabel("Commit SHA").fill(randomBytes(20).toString("hex"));
  await page.getByLabel("Title").fill(release.title);
  await page.getByRole("button", { name: "Create release" }).click();
  await expect(page).toHaveURL(/\/releases\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(release.version);
  return new URL(page.url()).pathname;
}

/** Text that starts with an environment's name: "Dev" must not match "Development". */
const startsWithName = (name: string) =>
  new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\d])`, "u");

/** The status of this release's newest deployment to `environment`, as the page's table shows it. */
async function latestStatus(page: Page, environment: string): Promise<string | null> {
  // pages stream in behind a loading skeleton: read the table once the page is there
  await expect(page.getByRole("region", { name: "Path through the environments" })).toBeVisible();
  const rows = await page
    .getByRole("region", { name: /^Deployments of / })
    .locator("tbody tr")
    .evaluateAll((trs) =>
      trs.map((tr) => [
        (tr.querySelector("td")?.textContent ?? "").trim(),
        (tr.querySelectorAll("td")[1]?.textContent ?? "").trim(),
      ]),
    );
  // newest first
  const name = startsWithName(environment);
  return rows.find(([where]) => name.test(where ?? ""))?.[1] ?? null;
}

/** Reloads the release page until its deploy to `environment` has finished; fails unless it succeeded. */
export async function waitForDeploy(page: Page, environment: string, timeout = 60_000): Promise<void> {
  let status: string | null = null;
  await expect
    .poll(
      async () => {
        await page.reload();
        status = await latestStatus(page, environment);
        return status;
      },
      { message: `the deploy to ${environment} finishes`, timeout, intervals: [500, 1_000, 2_000] },
    )
    .toMatch(FINISHED);
  if (status !== "Succeeded") {
    const log = await page
      .getByRole("log")
      .last()
      .innerText()
      .catch(() => "(no log shown)");
    throw new Error(`the deploy to ${environment} ended ${status}:\n${log}`);
  }
}

/**
 * Ticks every required item of the release's checklist for `environment` (shown on the page of
 * the promotion it gates), one after the other, and checks the server kept them all.
 */
export async function tickRequired(page: Page, environment: string): Promise<number> {
  const checklist = page.getByRole("region", { name: `Checklist for ${environment}` });
  const required = checklist
    .getByRole("listitem")
    .filter({ has: page.getByText("required", { exact: true }) })
    .getByRole("checkbox");
  await expect(checklist).toBeVisible();
  const count = await required.count();
  for (let i = 0; i < count; i++) {
    const box = required.nth(i);
    if (await box.isChecked()) continue;
    await box.check();
    // one at a time: the first tick gives the release its own copy of the items
    await expect(checklist.getByText("Saving…")).toHaveCount(0);
  }
  await page.reload();
  await expect(checklist.getByRole("progressbar")).toHaveAttribute(
    "aria-valuetext",
    /^(\d+) of \1 required items? ticked$/,
  );
  return count;
}

export async function approve(page: Page, comment: string): Promise<void> {
  const approvals = page.getByRole("region", { name: "Approvals" });
  await approvals.getByRole("textbox", { name: "Comment" }).fill(comment);
  await approvals.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(approvals.getByRole("status")).toContainText("You approved");
}

/**
 * Waits (reloading) until the promote button is enabled, presses it and waits for the deploy.
 * `automatic`: the environment promotes by itself once its gates pass, so a deploy already
 * under way there is accepted instead of the button (or a click that came just too late).
 */
export async function promote(page: Page, environment: string, options: { automatic?: boolean } = {}) {
  const button = promoteButton(page, environment);
  let started = false;
  await expect(async () => {
    await page.reload();
    started = Boolean(options.automatic) && (await latestStatus(page, environment)) !== null;
    if (!started) await expect(button).toBeEnabled({ timeout: 1_000 });
  }, `Promote to ${environment} becomes enabled`).toPass({ timeout: 30_000 });
  if (!started) {
    await button.click();
    const next = page.getByRole("region", { name: `Next: ${environment}` });
    const deploying = next.getByRole("status").filter({ hasText: `to ${environment}…` });
    const refused = next.getByRole("alert");
    await expect(deploying.or(refused).first()).toBeVisible();
    if (!options.automatic && (await refused.count()) > 0)
      throw new Error(`Promote to ${environment} was refused: ${await refused.first().innerText()}`);
  }
  await waitForDeploy(page, environment);
}

/**
 * The board's cell of an application in an environment (among the columns the viewer sees);
 * `path`: the board with its filters ("/?mine=1").
 */
export async function boardCell(page: Page, application: string, environment: string, path = "/") {
  await page.goto(path);
  const board = page.getByRole("table").first();
  await expect(board.getByRole("columnheader", { name: environment }).first()).toBeVisible();
  const headers = await board.getByRole("columnheader").allInnerTexts();
  const column = headers.findIndex((h) => startsWithName(environment).test(h.trim()));
  expect(column, `the board has a ${environment} column`).toBeGreaterThan(0);
  const row = board.getByRole("row").filter({ has: page.getByRole("rowheader", { name: application }) });
  return row.getByRole("cell").nth(column - 1);
}
