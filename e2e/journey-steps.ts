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
export async function createRelease(
  page: Page,
  release: { application: string; version: string; title: string; branch?: string },
) {
  await page.goto("/releases/new");
  await expect(page.getByRole("heading", { level: 1, name: "New release" })).toBeVisible();
  await page.getByLabel("Application").selectOption(release.application);
  await page.getByLabel("Version").fill(release.version);
  await page.getByLabel("Commit SHA").fill(randomBytes(20).toString("hex"));
  await page.getByLabel("Title").fill(release.title);
  if (release.branch) await page.getByLabel("Branch (optional)").fill(release.branch);
  await page.getByRole("button", { name: "Create release" }).click();
  await expect(page).toHaveURL(/\/releases\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(release.version);
  return new URL(page.url()).pathname;
}

/** Text that starts with an environment's name: "Dev" must not match "Development". */
const startsWithName = (name: string) =>
  new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\d])`, "u");

/** The link to the newest deployment to `environment` in the release page's history. */
export function latestDeploymentLink(page: Page, environment: string) {
  return page
    .getByRole("region", { name: /^Deployments of / })
    .locator("tbody tr")
    .filter({ has: page.getByRole("cell", { name: startsWithName(environment) }) })
    .first()
    .getByRole("link", { name: /open this deployment/ });
}

/**
 * Opens the newest deployment to `environment` and presses "Promote now" if it is offered, then
 * comes back to the release page; true if it was pressed. The rollout goes on by itself.
 */
async function promoteNow(page: Page, environment: string): Promise<boolean> {
  const releasePage = page.url();
  const link = latestDeploymentLink(page, environment);
  const href = (await link.count()) > 0 ? await link.getAttribute("href", { timeout: 5_000 }) : null;
  if (!href) return false;
  // opened by its address: a click on the link also waits for the page, long on a busy machine
  await page.goto(href);
  await expect(page.getByRole("region", { name: "Steps" })).toBeVisible({ timeout: 30_000 });
  const button = page.getByRole("button", { name: "Promote now" });
  let pressed = false;
  // (the button may go between the count and the look: the rollout ended; a look never waits)
  const offered = (await button.count()) > 0 && (await button.isEnabled({ timeout: 1_000 }).catch(() => false));
  if (offered) {
    // the rollout may end or move on between the look and the click (a staging blue-green takes
    // seconds): a click that does not happen soon has nothing left to skip
    pressed = await button.click({ timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    // the server action answered: the button is back (the rollout goes on), or gone (it ended)
    if (pressed)
      await expect(async () => {
        if ((await button.count()) > 0) await expect(button).toBeEnabled({ timeout: 500 });
      }).toPass({ timeout: 15_000 });
  }
  await page.goto(releasePage);
  return pressed;
}

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
        // the status badge's words, without the link's words for screen readers
        (tr.querySelectorAll("td")[1]?.textContent ?? "").replace(": open this deployment", "").trim(),
      ]),
    );
  // newest first
  const name = startsWithName(environment);
  return rows.find(([where]) => name.test(where ?? ""))?.[1] ?? null;
}

/**
 * Reloads the release page until its deploy to `environment` has finished; fails unless it
 * succeeded. A rollout that waits between its traffic steps (production canaries pause for
 * minutes) is sped up as an operator would: on the deployment's page, "Promote now" skips the
 * remaining pauses (when the person on `page` may).
 */
export async function waitForDeploy(page: Page, environment: string, timeout = 120_000): Promise<void> {
  let status: string | null = null;
  let spedUp = false;
  let tries = 0;
  const releasePage = page.url();
  await expect
    .poll(
      async () => {
        // a look that fails (a page still loading on a busy machine, a button that went as the
        // rollout moved on) is looked at again: poll fails at once on an error from here
        try {
          await page.reload();
          status = await latestStatus(page, environment);
          if (status === "Running" && !spedUp && tries++ < 3) {
            spedUp = await promoteNow(page, environment);
            status = await latestStatus(page, environment);
          }
        } catch (error) {
          status = null;
          // back to the release's page (a failed look may have left it on a deployment's)
          if (page.url() !== releasePage) await page.goto(releasePage).catch(() => undefined);
          return `not read yet (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`;
        }
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
    // one at a time: the first tick gives the release its own copy of the items (where the
    // environment asks for a second factor, a code is entered first: more time)
    await expect(checklist.getByText("Saving…")).toHaveCount(0, { timeout: 30_000 });
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
  // where the environment asks for a second factor, a code is entered first: more time
  await expect(approvals.getByRole("status")).toContainText("You approved", { timeout: 30_000 });
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
    if (!started) await expect(button).toBeEnabled({ timeout: 5_000 });
  }, `Promote to ${environment} becomes enabled`).toPass({ timeout: 60_000 });
  if (!started) {
    await button.click();
    const next = page.getByRole("region", { name: `Next: ${environment}` });
    const deploying = next.getByRole("status").filter({ hasText: `to ${environment}…` });
    const refused = next.getByRole("alert");
    // (a code may be asked for first)
    await expect(deploying.or(refused).first()).toBeVisible({ timeout: 30_000 });
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
