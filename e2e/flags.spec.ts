import { expect, test, type Locator, type Page } from "@playwright/test";
import { storageStateOf } from "./personas";

// The flag grid. Other journeys switch demo flags too (e2e/access.spec.ts), so nothing here
// assumes a flag's state: each step reads it first, and what a journey changes it puts back.

/** A flag's row, by its key (names and badges vary). */
const rowOf = (page: Page, key: string) => page.getByRole("row").filter({ hasText: key });
/** "on" or "off", as the cell's state says. */
async function stateOf(cell: Locator): Promise<"on" | "off"> {
  return (await cell.getByRole("button", { name: /^Turn (on|off) / }).getAttribute("aria-label"))?.startsWith(
    "Turn off",
  )
    ? "on"
    : "off";
}

test("the admin searches the flag grid, filters what differs, and switches a flag in staging", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("navigation").getByRole("link", { name: "Flags", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Feature flags" })).toBeVisible();
  for (const category of ["commerce", "discovery", "content", "ui", "experimental"])
    await expect(page.getByRole("heading", { level: 2, name: category })).toBeVisible();

  // search by words of the description
  await page.getByLabel("Search flags").fill("mood-based");
  const row = rowOf(page, "browseByMood");
  await expect(row).toBeVisible();
  await expect(rowOf(page, "checkoutEnabled")).toHaveCount(0);
  await expect(page.getByText(/^1 of \d+ flags$/)).toBeVisible();
  await page.getByLabel("Search flags").fill("no-such-flag");
  await expect(page.getByText("No flag matches “no-such-flag”.")).toBeVisible();
  await page.getByLabel("Search flags").fill("");

  // the filter keeps exactly the flags marked as differing, as many as its label says
  const filter = page.getByLabel(/Only flags that differ between environments/);
  const label = await page.getByText(/^Only flags that differ between environments \(\d+\)$/).textContent();
  const differing = Number(/\((\d+)\)/.exec(label ?? "")?.[1]);
  await filter.check();
  await expect(page.getByText(new RegExp(`^${differing} of \\d+ flags$`))).toBeVisible();
  await expect(page.locator("tbody tr")).toHaveCount(differing);
  await expect(page.locator("tbody tr").filter({ hasNotText: "differs" })).toHaveCount(0);
  await filter.uncheck();

  // switch it in staging, and back
  const staging = row.getByRole("cell").nth(1);
  const was = await stateOf(staging);
  const flip = (to: "on" | "off") => row.getByRole("button", { name: `Turn ${to} Browse by mood in Staging` });
  await flip(was === "on" ? "off" : "on").click();
  await expect(flip(was)).toBeVisible();
  await flip(was).click();
  await expect(flip(was === "on" ? "off" : "on")).toBeVisible();
});

test("the admin sets a share of users and a targeting rule for a flag in staging", async ({ page }) => {
  await page.goto("/flags");
  await page.getByLabel("Search flags").fill("browseByMood");
  const staging = rowOf(page, "browseByMood").getByRole("cell").nth(1);
  const was = await stateOf(staging);

  // in full: on for a quarter of users, and for everyone in France; a bad rule is refused first
  await staging.getByText("Edit").click();
  const editor = staging.getByRole("form", { name: "Browse by mood in Staging" });
  await editor.getByLabel("On in Staging").check();
  await editor.getByLabel("Share of users (%)").fill("25");
  await editor.getByLabel("Targeting rules").fill("country FR");
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(editor.getByText('Line 1: write "attribute = value" or "attribute in value, value"')).toBeVisible();
  await expect(staging).not.toContainText("On for 25%");
  await editor.getByLabel("Targeting rules").fill("country in FR");
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(staging).toContainText("On for 25% + 1 rule");

  // back as it was (this flag has no share or rule in the demo)
  await staging.getByText("Edit").click();
  await editor.getByLabel("On in Staging").setChecked(was === "on");
  await editor.getByLabel("Share of users (%)").fill("");
  await editor.getByLabel("Targeting rules").fill("");
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(staging).not.toContainText("+ 1 rule");
  expect(await stateOf(staging)).toBe(was);
});

test.describe("as QA", () => {
  test.use({ storageState: storageStateOf("qa") });

  test("the grid is read-only where QA may not change flags", async ({ page }) => {
    await page.goto("/flags");
    const row = rowOf(page, "checkoutEnabled");
    // development: readable, not changeable; staging: QA holds flag.toggle there
    const development = row.getByRole("button", { name: /^Turn (on|off) Checkout in Development$/ });
    await expect(development).toHaveAttribute("aria-disabled", "true");
    await expect(development).toHaveAccessibleDescription("You need the flag.toggle permission in Development");
    await expect(row.getByText("Edit Checkout in Development")).toHaveCount(0);
    await expect(row.getByRole("button", { name: /^Turn (on|off) Checkout in Staging$/ })).toHaveAttribute(
      "aria-disabled",
      "false",
    );
    await expect(row.getByText("Edit Checkout in Staging")).toHaveCount(1);
  });
});
