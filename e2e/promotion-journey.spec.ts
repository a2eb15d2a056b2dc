import { recordAction, replayAction, type RecordedAction } from "./journey-forgery";
import { expect, test } from "./journey-people";
import { addOneOffFreeze, asAdmin, deleteFreezeWindows, openTheGates, restoreTheGates } from "./journey-settings";
import {
  approve,
  boardCell,
  createRelease,
  freshVersion,
  gate,
  promote,
  promoteButton,
  tickRequired,
  waitForDeploy,
} from "./journey-steps";
import { PERSONAS } from "./personas";
import { demo } from "../prisma/presets/demo";

// The persona journeys on the demo preset, with real deploys (lib/deploy/demo/deploy.mjs
// run by the server's deploy worker). Who does what follows the demo matrix
// (prisma/presets/demo.ts): releases enter in development (developers and the admin hold
// release.create there, and it promotes by itself); developers and DevOps deploy to staging;
// QA works through staging's checklist while the release runs there and ticks production's
// pre-deployment checklist; the product owner and the admin approve production, where the
// author's own approval does not count; operations and DevOps deploy to production; only
// environment.manage (admin, DevOps) overrides a freeze.
//
// Each journey creates its own release, so none depends on the demo's history. The admin first
// takes the clock out of the way through the settings pages, and puts the demo back afterwards:
// soak times would hold a new release for half an hour, and the weekend freeze on production
// (Friday 16:00 to Monday 08:00, Paris time) would hold it on the days it covers.

const ONE_OFF_FREEZE = "Payment provider migration (journey)";
const ENVIRONMENTS = demo.environments.map((e) => e.key);

test.beforeAll(async ({ browser }) => {
  test.setTimeout(60_000);
  await asAdmin(browser, async (page) => {
    await openTheGates(page, ENVIRONMENTS);
    await deleteFreezeWindows(page, "production", ONE_OFF_FREEZE);
  });
});

test.afterAll(async ({ browser }) => {
  test.setTimeout(60_000);
  await asAdmin(browser, async (page) => {
    await deleteFreezeWindows(page, "production", ONE_OFF_FREEZE);
    await restoreTheGates(page, ENVIRONMENTS);
  });
});

test("a developer's release reaches production through QA, the product owner and operations", async ({ people }) => {
  test.setTimeout(240_000);
  const version = freshVersion(7);

  const diego = await people.page("developer");
  const path = await createRelease(diego, {
    application: "notifications-worker",
    version,
    title: "Delivery-day notifications in Welsh",
  });
  // development promotes by itself: the deploy starts as the release is created
  await waitForDeploy(diego, "Development");
  await expect(diego.getByRole("heading", { level: 2, name: "Next: Staging" })).toBeVisible();
  await promote(diego, "Staging");

  // production waits for QA: staging's checklist, worked through while the release runs
  // there, and production's pre-deployment checklist
  await expect(diego.getByRole("heading", { level: 2, name: "Next: Production" })).toBeVisible();
  await expect(gate(diego, "Production", "Checklist")).toContainText("Failed");
  const quentin = await people.page("qa", path);
  expect(await tickRequired(quentin, "Staging")).toBeGreaterThan(0);
  expect(await tickRequired(quentin, "Production")).toBeGreaterThan(0);
  await expect(gate(quentin, "Production", "Checklist")).toContainText("Passed");

  // operations may deploy to production, but not before an approval
  const omar = await people.page("operations", path);
  await expect(gate(omar, "Production", "Approvals")).toContainText("Failed");
  await expect(promoteButton(omar, "Production")).toBeDisabled();
  await expect(promoteButton(omar, "Production")).toHaveAccessibleDescription("Waiting for Approvals.");

  const priya = await people.page("productOwner", path);
  await approve(priya, "Changelog read: ship it.");
  await expect(gate(priya, "Production", "Approvals")).toContainText(`1 of 1 approval (${PERSONAS.productOwner.name})`);

  await promote(omar, "Production");
  await expect(omar.getByText(`${version} reached the last stage, Production`)).toBeVisible();

  const live = await boardCell(priya, "Notifications worker", "Production");
  await expect(live.getByRole("link").first()).toHaveText(version);
  await expect(live).toContainText("deployed");
});

test.describe.serial("a release the admin created and could approve", () => {
  let path = "";
  let approval: RecordedAction;

  test("reaches production's door through QA and DevOps", async ({ people }) => {
    test.setTimeout(180_000);
    const ana = await people.page("admin");
    path = await createRelease(ana, { application: "web-admin", version: freshVersion(8), title: "Bulk price editor" });
    await waitForDeploy(ana, "Development");
    await promote(await people.page("devops", path), "Staging");
    const quentin = await people.page("qa", path);
    await tickRequired(quentin, "Staging");
    await tickRequired(quentin, "Production");
    await expect(gate(quentin, "Production", "Checklist")).toContainText("Passed");
  });

  test("the author's own approval is refused, on the page and by the server", async ({ people }) => {
    const ana = await people.page("admin", path);
    const approvals = ana.getByRole("region", { name: "Approvals" });
    await expect(approvals).toContainText(
      "You created this release, and Production does not accept its author's own approval. You can still reject it.",
    );
    await expect(approvals.getByRole("button", { name: "Approve", exact: true })).toHaveCount(0);

    // the product owner approves; the request her click sends is kept for the forgeries
    const priya = await people.page("productOwner", path);
    approval = await recordAction(priya, () => approve(priya, "Fine for production."));

    const answer = await replayAction(ana, approval);
    expect(answer).toContain('"code":"forbidden"');
    expect(answer).toContain("You created this release, and Production does not accept its author's own approval");
    await ana.reload();
    const decisions = approvals.getByRole("list", { name: "Decisions for Production" }).getByRole("listitem");
    await expect(decisions).toHaveCount(1);
    await expect(decisions).toContainText(PERSONAS.productOwner.name);
    await expect(gate(ana, "Production", "Approvals")).toContainText(`1 of 1 approval (${PERSONAS.productOwner.name})`);
  });

  test("QA's forged approval is refused by the server and audited", async ({ people }) => {
    const quentin = await people.page("qa", path);
    const approvals = quentin.getByRole("region", { name: "Approvals" });
    await expect(approvals).toContainText("You may not approve or reject releases in Production.");
    await expect(approvals.getByRole("button", { name: "Approve", exact: true })).toHaveCount(0);

    const ana = await people.page("admin");
    const refusals = async () => {
      await ana.goto(`/audit?action=authz.denied&environment=production&actor=${encodeURIComponent("Quentin")}`);
      await expect(ana.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
      return ana.getByRole("row").filter({ hasText: "Lacked release.approve in Production" }).count();
    };
    const before = await refusals();

    const answer = await replayAction(quentin, approval);
    expect(answer).toContain('"code":"forbidden"');
    expect(answer).toContain("You need the release.approve permission in Production to do this");
    await quentin.reload();
    const decisions = approvals.getByRole("list", { name: "Decisions for Production" }).getByRole("listitem");
    await expect(decisions).toHaveCount(1);
    await expect(decisions).not.toContainText(PERSONAS.qa.name);
    await expect.poll(refusals).toBe(before + 1);
  });

  test("a freeze holds the promotion until the admin overrides it with a reason", async ({ people }) => {
    test.setTimeout(120_000);
    const ana = await people.page("admin");
    const now = Date.now();
    await addOneOffFreeze(ana, "production", ONE_OFF_FREEZE, new Date(now - 3_600_000), new Date(now + 3 * 3_600_000));

    // operations may deploy but not manage production: held, with no way round
    const omar = await people.page("operations", path);
    await expect(gate(omar, "Production", "No freeze")).toContainText("Failed");
    await expect(gate(omar, "Production", "No freeze")).toContainText(ONE_OFF_FREEZE);
    await expect(promoteButton(omar, "Production")).toBeDisabled();
    await expect(promoteButton(omar, "Production")).toHaveAccessibleDescription(
      new RegExp(`Frozen until .*${ONE_OFF_FREEZE.replace(/[()]/g, "\\$&")}`),
    );
    await expect(omar.getByRole("button", { name: "Promote during freeze…" })).toHaveCount(0);

    await ana.goto(path);
    await expect(promoteButton(ana, "Production")).toBeDisabled();
    await ana.getByRole("button", { name: "Promote during freeze…" }).click();
    const dialog = ana.getByRole("dialog");
    await expect(dialog).toContainText(ONE_OFF_FREEZE);
    await dialog.getByRole("button", { name: "Promote during freeze", exact: true }).click();
    await expect(dialog.getByLabel("Reason for the override")).toHaveAccessibleDescription(
      /Say why this cannot wait for the freeze to end/,
    );
    const reason = "Hotfix for the refund button; the migration does not touch the back office";
    await dialog.getByLabel("Reason for the override").fill(reason);
    await dialog.getByRole("button", { name: "Promote during freeze", exact: true }).click();
    await expect(dialog).toBeHidden();
    await waitForDeploy(ana, "Production");

    const timeline = ana.getByRole("region", { name: "Path through the environments" });
    await expect(timeline.getByText(`Freeze overridden: ${reason}`)).toBeVisible();
    await expect(ana.getByRole("region", { name: /^Deployments of / })).toContainText(`Freeze overridden: ${reason}`);
    await deleteFreezeWindows(ana, "production", ONE_OFF_FREEZE);
  });
});
