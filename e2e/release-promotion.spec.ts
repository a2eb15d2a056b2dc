import { expect, test } from "./fixtures";
import { gate } from "./journey-steps";
import { PERSONAS, storageStateOf } from "./personas";

// The release page's promotion section, as QA and the product owner use it on the demo preset:
// QA works through the checklists of a release running in staging — staging's "Testing in
// Staging" (done while it runs there) and production's pre-deployment one — until the
// checklist gate of its promotion to production passes; the product owner approves, withdraws and is told a rejection needs a reason.
// Each journey brings its own release to staging first (e2e/fixtures.ts): what the demo's
// history or other journeys left waiting for production plays no part.

test.describe("a QA engineer", () => {
  test.use({ storageState: storageStateOf("qa") });

  test("ticks every checklist item of a release in staging, and the checklist gate to production passes", async ({
    page,
    releases,
  }) => {
    const release = await releases.inStaging("storefront", "Size guide drawer on product pages");
    await page.goto(release.path);
    await expect(page.getByRole("heading", { level: 2, name: "Next: Production" })).toBeVisible();
    // nobody has ticked anything yet: the checklist gate to production fails
    await expect(gate(page, "Production", "Checklist")).toContainText("Failed");
    const checklist = page.getByRole("region", { name: "Checklist for Staging" });
    const boxes = checklist.getByRole("checkbox");
    const count = await boxes.count();
    expect(count).toBeGreaterThan(1);

    // the first open item gets a note, through its "Add note" disclosure
    const open = checklist.getByRole("listitem").filter({ has: page.getByRole("checkbox", { checked: false }) });
    const label = await open.first().locator("label").first().innerText();
    const first = checklist
      .getByRole("listitem")
      .filter({ has: page.getByRole("checkbox", { name: label, exact: true }) });
    await first.getByRole("button", { name: `Add note on ${label}` }).click();
    await first.getByLabel(`Note on “${label}”`).fill("Checked on the staging dashboards");
    await first.getByRole("button", { name: "Tick with note" }).click();
    await expect(checklist.getByRole("checkbox", { name: label })).toBeChecked();
    await expect(first).toContainText("Note: Checked on the staging dashboards");

    for (let i = 0; i < count; i++) {
      const box = boxes.nth(i);
      if (!(await box.isChecked())) await box.check();
    }
    await expect(checklist.getByText("Saving…")).toHaveCount(0);
    // production's pre-deployment checklist gates the same promotion; QA may tick there too
    const production = page.getByRole("region", { name: "Checklist for Production" });
    const preDeployment = production.getByRole("checkbox");
    for (let i = 0; i < (await preDeployment.count()); i++) {
      const box = preDeployment.nth(i);
      if (!(await box.isChecked())) await box.check();
    }
    await expect(production.getByText("Saving…")).toHaveCount(0);
    await expect(checklist.getByRole("progressbar")).toHaveAttribute(
      "aria-valuetext",
      /^(\d+) of \1 required items? ticked$/,
    );
    // the gate is the server's own evaluation, read again after the ticks
    await expect(gate(page, "Production", "Checklist")).toContainText("Passed");
    await expect(gate(page, "Production", "Checklist")).toContainText(/required items? (is )?ticked/);
    await expect(first).toContainText(`Ticked by ${PERSONAS.qa.name}`);

    // after a reload the ticks are still there: the server has them
    await page.reload();
    for (let i = 0; i < count; i++) await expect(boxes.nth(i)).toBeChecked();
  });
});

test.describe("a product owner", () => {
  test.use({ storageState: storageStateOf("productOwner") });

  test("approves a production promotion, changes it to a rejection and withdraws it", async ({ page, releases }) => {
    const release = await releases.inStaging("storefront", "Size guide overlay on phones");
    await page.goto(release.path);
    await expect(page.getByRole("heading", { level: 2, name: "Next: Production" })).toBeVisible();
    const approvals = page.getByRole("region", { name: "Approvals" });
    await expect(approvals.getByRole("button", { name: "Approve" })).toBeVisible();

    // a rejection without a reason is refused, and says so next to the comment
    await approvals.getByRole("button", { name: "Reject" }).click();
    const comment = approvals.getByRole("textbox", { name: "Comment" });
    await expect(comment).toHaveAttribute("aria-invalid", "true");
    await expect(comment).toHaveAccessibleDescription(/Say why you reject this release/);
    await expect(comment).toBeFocused();

    await comment.fill("Read the changelog; fine by me.");
    await approvals.getByRole("button", { name: "Approve" }).click();
    await expect(approvals.getByRole("status")).toContainText("You approved");
    const mine = approvals.getByRole("listitem").filter({ hasText: "(you)" });
    await expect(mine).toContainText("Approved");
    await expect(mine).toContainText("Product owner");
    await expect(mine).toContainText("Read the changelog; fine by me.");
    await expect(gate(page, "Production", "Approvals")).toContainText(PERSONAS.productOwner.name);

    // she may not deploy or tick in production: the controls say so instead of failing later
    await expect(page.getByRole("button", { name: "Promote to Production" })).toBeDisabled();
    await expect(page.getByText("You may not deploy to Production.")).toBeVisible();
    const checklist = page.getByRole("region", { name: "Checklist for Production" });
    await expect(checklist.getByRole("checkbox").first()).toBeDisabled();

    // she changes her mind: a rejection, with its reason, blocks the promotion
    await approvals.getByRole("button", { name: "Change" }).click();
    await expect(comment).toHaveValue("Read the changelog; fine by me.");
    await comment.fill("The size guide overlaps the basket button on phones.");
    await approvals.getByRole("button", { name: "Reject" }).click();
    await expect(approvals.getByRole("status")).toContainText("You rejected");
    await expect(mine).toContainText("Rejected");
    await expect(gate(page, "Production", "No rejection")).toContainText("Failed");
    await expect(gate(page, "Production", "No rejection")).toContainText(`Rejected by ${PERSONAS.productOwner.name}`);

    // withdrawing leaves the release as it was found
    await approvals.getByRole("button", { name: "Withdraw" }).click();
    await expect(approvals.getByRole("status")).toContainText("Your rejection was withdrawn.");
    await expect(approvals.getByRole("button", { name: "Approve" })).toBeVisible();
    await expect(mine).toHaveCount(0);
  });
});
