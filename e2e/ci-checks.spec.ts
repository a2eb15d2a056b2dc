import type { Page } from "@playwright/test";
import { createToken, expect, test, unique } from "./fixtures";
import { gate, tickRequired } from "./journey-steps";

// CI reports checks on a release (POST /api/v1/releases/{id}/checks) and the release page
// follows: production requires the check, and its checklist has an item only that check ticks.
// A failing run leaves the item unticked with a link to the run and the Required checks gate
// failing; a passing run ticks the item and opens the gate. The admin sets production up for a
// check of the journey's own (a name no other run uses) and puts the demo back at the end.

const SETTINGS = "/environments/production/settings";

async function saved(page: Page, message: string) {
  await expect(page.getByRole("status").filter({ hasText: message })).toBeVisible();
}

test("CI reports a failing then a passing check: the checklist item and the Required checks gate follow", async ({
  page,
  releases,
  request,
  people,
}) => {
  test.setTimeout(240_000);
  const id = unique();
  const check = `e2e-suite-${id}`;
  const label = `End-to-end suite green (${id})`;

  // the admin: production requires the check, and gets a checklist item that only the check ticks
  await page.goto(SETTINGS);
  const required = page.getByLabel("Required checks");
  const requiredBefore = await required.inputValue();
  // whatever fails from here on, the finally block puts production's settings back
  let n = 0;
  let itemSaved = false;
  try {
    await required.fill([requiredBefore, check].filter(Boolean).join("\n"));
    await page.getByRole("button", { name: "Save settings" }).click();
    await saved(page, "Settings saved.");
    const items = page.getByRole("list", { name: "Checklist items" }).getByRole("listitem");
    n = (await items.count()) + 1;
    await page.getByRole("button", { name: "Add item" }).click();
    await page.getByLabel(`Item ${n}`, { exact: true }).fill(label);
    // a new item takes the section and timing of the one above it (the demo's list ends with its
    // post-deployment items): this one gates the promotion
    await page.getByLabel(`Section of item ${n}`).fill("Pre-deployment");
    await page.getByLabel(`When item ${n} is ticked`).selectOption({ label: "Before promotion (a gate)" });
    await page.getByLabel(`Satisfied by check for item ${n}`).fill(check);
    await page.getByLabel(`CI only for item ${n}`).check();
    await page.getByRole("button", { name: "Save checklist" }).click();
    await saved(page, "Checklist saved.");
    itemSaved = true;

    // CI's token may report checks; the release runs in staging and waits for production
    const token = await createToken(page, `e2e checks ${id}`, ["environment.view", "release.check"]);
    const release = await releases.inStaging("storefront", "Checks reported by CI (e2e)");
    const report = (status: "failure" | "success", run: number) =>
      request.post(`/api/v1/releases/${release.id}/checks`, {
        headers: { authorization: `Bearer ${token}` },
        data: {
          name: check,
          status,
          url: `https://ci.example.test/storefront/runs/${run}`,
          summary: status === "success" ? "All scenarios passed" : "2 scenarios failed",
          environment: "production",
        },
      });

    // a failing run: the item stays unticked, says so and links to the run; the gate fails
    const failing = await report("failure", 1);
    expect(failing.status(), await failing.text()).toBe(201);
    await page.goto(release.path);
    await expect(page.getByRole("heading", { level: 2, name: "Next: Production" })).toBeVisible();
    const checklist = page.getByRole("region", { name: "Checklist for Production" });
    const item = checklist.getByRole("listitem").filter({ hasText: label });
    const box = item.getByRole("checkbox", { name: label });
    await expect(box).not.toBeChecked();
    // people cannot tick it: only the check does
    await expect(box).toBeDisabled();
    await expect(item).toContainText(`Ticked only by the CI check ${check}: failing`);
    await expect(item.getByRole("link", { name: `View run of ${check}` })).toHaveAttribute(
      "href",
      "https://ci.example.test/storefront/runs/1",
    );
    const checksGate = gate(page, "Production", "Required checks");
    await expect(checksGate).toContainText("Failed");
    await expect(checksGate).toContainText(`${check} (failing)`);

    // a passing run: the item is ticked by the token, and the gate passes
    const passing = await report("success", 2);
    expect(passing.status(), await passing.text()).toBe(200);
    await page.reload();
    await expect(box).toBeChecked();
    await expect(item).toContainText(`Ticked only by the CI check ${check}: passed`);
    await expect(item).toContainText(`Ticked by token e2e checks ${id}`);
    await expect(item.getByRole("link", { name: `View run of ${check}` })).toHaveAttribute(
      "href",
      "https://ci.example.test/storefront/runs/2",
    );
    await expect(checksGate).toContainText("Passed");
    if (requiredBefore === "") await expect(checksGate).toContainText(`${check} passed`);

    // a repeat of the same report changes nothing
    const repeat = await report("success", 2);
    expect(repeat.status()).toBe(200);
    expect(((await repeat.json()) as { changed: boolean }).changed).toBe(false);

    // QA works through production's checklists; then only the product owner's approval (and
    // the soak time) holds the release, and the product owner's inbox says so
    const quentin = await people.page("qa", release.path);
    await tickRequired(quentin, "Staging");
    await tickRequired(quentin, "Production");
    const priya = await people.page("productOwner", "/notifications");
    const waiting = priya
      .getByRole("listitem")
      .filter({ hasText: `storefront ${release.version} waits for approval in Production` });
    await expect(waiting).toBeVisible({ timeout: 30_000 });
    await waiting.getByRole("link").click();
    await expect(priya).toHaveURL(new RegExp(`${release.path}$`));
  } finally {
    // put the demo back as it was, and read it back: the journeys after this one promote to
    // production and would all wait for this check if it stayed required
    let attempts = 0;
    await expect(async () => {
      attempts += 1;
      await page.goto(SETTINGS);
      await page.getByLabel("Required checks").fill(requiredBefore);
      await expect(page.getByLabel("Required checks")).toHaveValue(requiredBefore);
      await page.getByRole("button", { name: "Save settings" }).click();
      await saved(page, "Settings saved.");
      await page.reload();
      await expect(page.getByLabel("Required checks")).toHaveValue(requiredBefore, { timeout: 5_000 });
    }).toPass({ timeout: 60_000 });
    if (attempts > 1) {
      // a save that said "Settings saved." and did not keep the value is a bug: say so in the log
      const description = `production's required checks took ${attempts} saves to put back`;
      test.info().annotations.push({ type: "warning", description });
      console.warn(`ci-checks: ${description}`);
    }
    if (itemSaved) {
      await page.getByRole("button", { name: `Remove item ${n}`, exact: true }).click();
      await page.getByRole("button", { name: "Save checklist" }).click();
      await saved(page, "Checklist saved.");
    }
  }
});
