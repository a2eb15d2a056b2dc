import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { asAdmin, openTheGates, restoreTheGates } from "./journey-settings";
import { approve, latestDeploymentLink, promoteButton, tickRequired } from "./journey-steps";

// A deployment's "during" checklist ticked while it runs, in the browser. On the demo preset
// production deploys as a canary that waits minutes at 5 % (the rollout journeys use it too),
// so the deployment is still running while QA ticks "Run smoke tests" on its page; the
// developer, who may only view production, reads the same tick without a box to tick. The
// journey aborts its rollout at the end so that production is free for the next one. The clock
// (soak time, the weekend freeze) and the checks nobody reports here are taken out of the way
// and put back, as in rollout.spec.ts.

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

test("a deployment's 'during' checklist ticked while it runs", async ({ people, releases }) => {
  test.setTimeout(420_000);
  const release = await releases.inStaging("storefront", "Deployment checklist journey (e2e)");
  // production's gates: staging's checklist and production's own (the "before" part only), an approval
  const quentin = await people.page("qa", release.path);
  await tickRequired(quentin, "Staging");
  await tickRequired(quentin, "Production");
  await approve(await people.page("productOwner", release.path), "Ship it.");
  // the release's own checklist no longer lists what is done during or after the deployment
  await quentin.reload();
  await expect(quentin.getByRole("region", { name: "Checklist for Production" })).not.toContainText("Run smoke tests");

  // operations promotes; the canary starts and waits at its first step
  const omar = await people.page("operations", release.path);
  const button = promoteButton(omar, "Production");
  await expect(async () => {
    await omar.reload();
    await expect(button).toBeEnabled({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  await button.click();
  let href: string | null = null;
  await expect(async () => {
    await omar.reload();
    href = await latestDeploymentLink(omar, "Production").getAttribute("href", { timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  await omar.goto(href!);
  await expect(status(omar)).toHaveAccessibleName("Deployment status: Running", { timeout: 60_000 });

  // QA ticks a "during" item on the running deployment's page, with the keyboard
  await quentin.goto(href!);
  const checklist = quentin.getByRole("region", { name: "Deployment checklist" });
  const during = checklist.getByRole("region", { name: "During the deployment" });
  const after = checklist.getByRole("region", { name: "After the deployment" });
  await expect(during).toContainText("0 of 5 items ticked");
  const smoke = during.getByRole("checkbox", { name: "Run smoke tests" });
  await expect(smoke).toBeEnabled();
  await smoke.focus();
  await quentin.keyboard.press("Space");
  await expect(smoke).toBeChecked();
  await expect(during).toContainText("1 of 5 items ticked");
  await expect(during.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "1");
  await expect(during).toContainText("Ticked by Quentin Moreau", { timeout: 15_000 });
  // the "after" items wait for the end of the deployment
  await expect(after.getByRole("checkbox", { name: "Notify stakeholders" })).toBeDisabled();
  await expect(after).toContainText("still under way");
  // the tick is in the deployment's history, and it was still running
  await expect(quentin.getByRole("region", { name: "Log" })).toContainText(
    "Ticked “Run smoke tests” (during the deployment) by Quentin Moreau",
    { timeout: 15_000 },
  );
  await expect(status(quentin)).toHaveAccessibleName(/Deployment status: (Running|Paused)/);

  // the developer may only view production: the tick is there, the box is not theirs to tick
  const diego = await people.page("developer", href!);
  const seen = diego
    .getByRole("region", { name: "Deployment checklist" })
    .getByRole("region", { name: "During the deployment" });
  await expect(seen.getByRole("checkbox", { name: "Run smoke tests" })).toBeChecked();
  await expect(seen.getByRole("checkbox", { name: "Run smoke tests" })).toBeDisabled();
  await expect(seen).toContainText("Ticked by Quentin Moreau");

  // the live page shows the tick to who had it open already
  await expect(omar.getByRole("region", { name: "During the deployment" })).toContainText("1 of 5 items ticked", {
    timeout: 15_000,
  });

  // production is left free: the rollout is aborted
  await omar.getByRole("button", { name: "Abort rollout" }).click();
  const dialog = omar.getByRole("dialog");
  await dialog.getByLabel(/Reason/).fill("Deployment checklist journey done");
  await dialog.getByRole("button", { name: "Abort and roll back" }).click();
  await expect(status(omar)).toHaveAccessibleName("Deployment status: Rolled back", { timeout: 60_000 });
});
