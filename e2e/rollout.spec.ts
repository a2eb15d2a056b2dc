import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { asAdmin, openTheGates, restoreTheGates } from "./journey-settings";
import {
  approve,
  boardCell,
  latestDeploymentLink,
  promote,
  promoteButton,
  tickRequired,
  waitForDeploy,
} from "./journey-steps";

// Production rollouts on the demo preset, in the browser: production deploys as a canary
// (5 → 50 → 100 % with long pauses) through the demo's two colours and traffic-splitting proxy.
// Operations watches one, pauses it, resumes it and aborts it (the traffic goes back), then
// rolls production back with one click, and the board shows the hold that follows. Each
// journey makes its own releases; the clock (soak time, the weekend freeze) is taken out of the
// way through the settings pages and put back afterwards.

test.beforeAll(async ({ browser }) => {
  test.setTimeout(60_000);
  await asAdmin(browser, async (page) => {
    await openTheGates(page, ["production"]);
  });
});

test.afterAll(async ({ browser }) => {
  test.setTimeout(60_000);
  await asAdmin(browser, async (page) => {
    await restoreTheGates(page, ["production"]);
  });
});

const status = (page: Page) => page.getByRole("status", { name: /^Deployment status: / });

/** QA ticks production's checklist and the product owner approves: production's gates open. */
async function readyForProduction(
  people: { page: (k: "qa" | "productOwner", path?: string) => Promise<Page> },
  path: string,
) {
  // staging's "while it runs there" checklist and production's own gate production
  const quentin = await people.page("qa", path);
  await tickRequired(quentin, "Staging");
  await tickRequired(quentin, "Production");
  const priya = await people.page("productOwner", path);
  await approve(priya, "Canary it.");
}

/** Presses Promote to Production and opens the deployment it started. */
async function promoteAndOpen(page: Page): Promise<void> {
  const button = promoteButton(page, "Production");
  await expect(async () => {
    await page.reload();
    await expect(button).toBeEnabled({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  await button.click();
  const next = page.getByRole("region", { name: "Next: Production" });
  await expect(next.getByRole("status").filter({ hasText: "to Production…" })).toBeVisible({ timeout: 30_000 });
  // its deployment, from the release's history: the link's address, opened as its own step (a
  // click also waits for the page it opens, which takes long on a busy machine)
  let href: string | null = null;
  await expect(async () => {
    await page.reload();
    href = await latestDeploymentLink(page, "Production").getAttribute("href", { timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  await page.goto(href!);
  await expect(page.getByRole("region", { name: "Steps" })).toBeVisible({ timeout: 30_000 });
}

test("operations watches a canary in production, pauses it, resumes it and aborts it; the traffic goes back", async ({
  people,
  releases,
}) => {
  test.setTimeout(420_000);
  const release = await releases.inStaging("storefront", "Canary journey (e2e)");
  await readyForProduction(people, release.path);
  const omar = await people.page("operations", release.path);
  await promoteAndOpen(omar);

  // the canary reaches its first step and waits there, watched
  await expect(omar.getByRole("region", { name: "Traffic split" })).toContainText("5 %", { timeout: 60_000 });
  await expect(status(omar)).toHaveAccessibleName("Deployment status: Running");
  await omar.getByRole("button", { name: "Pause rollout" }).click();
  await expect(status(omar)).toHaveAccessibleName("Deployment status: Paused", { timeout: 15_000 });
  await omar.getByRole("button", { name: "Resume rollout" }).click();
  await expect(status(omar)).toHaveAccessibleName("Deployment status: Running", { timeout: 15_000 });

  await omar.getByRole("button", { name: "Abort rollout" }).click();
  const dialog = omar.getByRole("dialog");
  await dialog.getByLabel(/Reason/).fill("Latency looks off at 5 %");
  await dialog.getByRole("button", { name: "Abort and roll back" }).click();
  await expect(status(omar)).toHaveAccessibleName("Deployment status: Rolled back", { timeout: 60_000 });
  await expect(omar.getByRole("region", { name: "Traffic split" })).toContainText("0 %");
  await expect(omar.getByRole("region", { name: "Log" })).toContainText("Aborted by");
});

test("one click rolls production back to the previous release, and the board shows the hold until it is released", async ({
  people,
  releases,
}) => {
  test.setTimeout(600_000);
  // two releases reach production, the second over the first
  const first = await releases.inStaging("web-admin", "Rollback journey, first (e2e)");
  await readyForProduction(people, first.path);
  const dana = await people.page("devops", first.path);
  await promoteAndOpen(dana);
  await dana.goto(first.path);
  await waitForDeploy(dana, "Production", 120_000);
  const second = await releases.inStaging("web-admin", "Rollback journey, second (e2e)");
  await readyForProduction(people, second.path);
  await dana.goto(second.path);
  await promoteAndOpen(dana);
  await dana.goto(second.path);
  await waitForDeploy(dana, "Production", 120_000);

  const omar = await people.page("operations", "/environments/production");
  await omar.getByRole("button", { name: `Roll back to ${first.version}` }).click();
  const dialog = omar.getByRole("dialog");
  await dialog.getByRole("button", { name: "Roll back" }).click();
  await expect(dialog.getByText(/Say why you roll back/)).toBeVisible();
  await dialog.getByLabel("Reason").fill("Bulk editor corrupts prices (e2e)");
  await dialog.getByRole("button", { name: "Roll back" }).click();
  await expect(omar).toHaveURL(/\/deployments\//);
  await expect(status(omar)).toHaveAccessibleName("Deployment status: Succeeded", { timeout: 60_000 });

  const cell = await boardCell(omar, "Web admin", "Production");
  await expect(cell).toContainText(`Held at ${first.version}`);

  await omar.goto("/environments/production");
  await omar.getByRole("button", { name: "Release hold" }).first().click();
  await omar.getByRole("button", { name: "Release it" }).click();
  await expect(omar.getByRole("button", { name: "Release hold" })).toHaveCount(0, { timeout: 15_000 });
  await expect(await boardCell(omar, "Web admin", "Production")).not.toContainText("Held at");
});

test("a release the demo marks bad fails at staging's smoke check, before any traffic reaches it", async ({
  people,
  releases,
}) => {
  // development deploys directly and checks nothing; staging probes the home page of the idle colour
  const bad = await releases.inDevelopment("public-api", "Answers 500 (e2e)", { bad: true });
  const dana = await people.page("devops", bad.path);
  await expect(promote(dana, "Staging")).rejects.toThrow(/the deploy to Staging ended Failed/);
  const href = await latestDeploymentLink(dana, "Staging").getAttribute("href", { timeout: 15_000 });
  await dana.goto(href!);
  await expect(status(dana)).toHaveAccessibleName("Deployment status: Failed");
  await expect(dana.getByText(/The smoke check failed: .*answered 500, expected 200/).first()).toBeVisible();
  // the traffic never moved: what ran before still takes all of it
  await expect(dana.getByRole("region", { name: "Traffic split" })).toContainText(`${bad.version}`);
  await expect(dana.getByRole("region", { name: "Traffic split" })).toContainText("0 %");
  // the health chart says, in words, what its picture shows
  await expect(dana.getByRole("img", { name: /^home page: .*failure/ })).toBeVisible();
});
