import { expect, test } from "@playwright/test";
import { storageStateOf } from "./personas";

// The flag grid: the admin finds a flag by search, sees which flags differ between environments,
// and turns one on in staging from the grid (then off again, so later journeys see the demo as it was).

test("the admin searches the flag grid, filters what differs, and switches a flag in staging", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("navigation").getByRole("link", { name: "Flags", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Feature flags" })).toBeVisible();
  for (const category of ["commerce", "discovery", "content", "ui", "experimental"])
    await expect(page.getByRole("heading", { level: 2, name: category })).toBeVisible();

  // search by words of the description
  await page.getByLabel("Search flags").fill("mood-based");
  const row = page.getByRole("row", { name: /Browse by mood/ });
  await expect(row).toBeVisible();
  await expect(page.getByRole("row", { name: /Checkout/ })).toHaveCount(0);
  await expect(page.getByText(/^1 of \d+ flags$/)).toBeVisible();
  await page.getByLabel("Search flags").fill("no-such-flag");
  await expect(page.getByText("No flag matches “no-such-flag”.")).toBeVisible();
  await page.getByLabel("Search flags").fill("");

  // on everywhere: the same answer everywhere, so not among those that differ
  await page.getByLabel(/Only flags that differ between environments/).check();
  await expect(page.getByRole("row", { name: /Browse by mood/ })).toBeVisible();
  await expect(page.getByRole("row", { name: /^Checkout\b/ })).toHaveCount(0);
  await page.getByLabel(/Only flags that differ between environments/).uncheck();

  // devOnly: off in staging until turned on here
  const staging = row.getByRole("cell").nth(1);
  await expect(staging).toContainText("Off");
  await row.getByRole("button", { name: "Turn on Browse by mood in Staging" }).click();
  await expect(staging).toContainText("On");
  await row.getByRole("button", { name: "Turn off Browse by mood in Staging" }).click();
  await expect(staging).toContainText("Off");
});

test("the admin sets a share of users and a targeting rule for a flag in staging", async ({ page }) => {
  await page.goto("/flags");
  await page.getByLabel("Search flags").fill("browseByMood");
  const staging = page
    .getByRole("row", { name: /Browse by mood/ })
    .getByRole("cell")
    .nth(1);
  await expect(staging).toContainText("Off");

  // in full: on for a quarter of users, and for everyone in France; a bad rule is refused first
  await staging.getByText("Edit").click();
  const editor = staging.getByRole("form", { name: "Browse by mood in Staging" });
  await editor.getByLabel("On in Staging").check();
  await editor.getByLabel("Share of users (%)").fill("25");
  await editor.getByLabel("Targeting rules").fill("country FR");
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(editor.getByText('Line 1: write "attribute = value" or "attribute in value, value"')).toBeVisible();
  await expect(staging).toContainText("Off");
  await editor.getByLabel("Targeting rules").fill("country in FR");
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(staging).toContainText("On for 25% + 1 rule");

  // back as it was
  await staging.getByText("Edit").click();
  await editor.getByLabel("On in Staging").uncheck();
  await editor.getByLabel("Share of users (%)").fill("");
  await editor.getByLabel("Targeting rules").fill("");
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(staging).toContainText("Off");
  await expect(staging).not.toContainText("+ 1 rule");
});

test.describe("as QA", () => {
  test.use({ storageState: storageStateOf("qa") });

  test("the grid is read-only where QA may not change flags", async ({ page }) => {
    await page.goto("/flags");
    const row = page.getByRole("row", { name: /^Checkout\b/ });
    // development: readable, not changeable; staging: QA holds flag.toggle there
    const development = row.getByRole("button", { name: "Turn off Checkout in Development" });
    await expect(development).toHaveAttribute("aria-disabled", "true");
    await expect(development).toHaveAccessibleDescription("You need the flag.toggle permission in Development");
    await expect(row.getByText("Edit Checkout in Development")).toHaveCount(0);
    await expect(row.getByRole("button", { name: "Turn off Checkout in Staging" })).toHaveAttribute(
      "aria-disabled",
      "false",
    );
    await expect(row.getByText("Edit Checkout in Staging")).toHaveCount(1);
  });
});
