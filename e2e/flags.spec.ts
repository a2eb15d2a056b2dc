import { expect, test } from "@playwright/test";

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
