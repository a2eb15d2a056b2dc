import { expect, test } from "@playwright/test";
import { unique } from "./fixtures";
import { storageStateOf } from "./personas";

// Creating and archiving flags. The admin's journey makes a flag of its own (a new key each
// run), so it passes repeated and in any order; QA only reads a demo flag.

test("the admin creates a flag, finds it off everywhere, archives it, and the grid hides it", async ({ page }) => {
  const id = unique();
  const key = `e2eFlag${id}`;
  const name = `E2E flag ${id}`;

  await page.goto("/flags");
  await page.getByRole("link", { name: "New flag" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New flag" })).toBeVisible();

  // a key applications could not ask for is refused on its field, and what was typed stays
  const keyField = page.getByLabel("Key", { exact: true });
  await keyField.fill("Not a key");
  await page.getByLabel("Name (optional)").fill(name);
  await page.getByRole("button", { name: "Create flag" }).click();
  await expect(page.getByText(/^Start with a lowercase letter/)).toBeVisible();
  await expect(keyField).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Name (optional)")).toHaveValue(name);

  await keyField.fill(key);
  await page.getByLabel("Description (optional)").fill("Made by the flag admin journey");
  await page.getByLabel("Category").fill("e2e");
  await page.getByLabel("Owner (optional)").fill("team-e2e");
  await page.getByRole("button", { name: "Create flag" }).click();

  // its page: off in every environment, nothing pending, its creation in the history
  await expect(page).toHaveURL(`/flags/${key}`);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByText("team-e2e")).toBeVisible();
  const states = page.getByRole("region", { name: `${name} in each environment` });
  await expect(states.locator("tbody tr").first()).toBeVisible();
  expect(await states.locator("tbody tr").count()).toBeGreaterThanOrEqual(3);
  await expect(states.locator("tbody tr").filter({ hasNotText: "Off" })).toHaveCount(0);
  await expect(page.getByText("No change requests")).toBeVisible();
  await expect(page.getByText("No scheduled changes")).toBeVisible();
  const history = page.getByRole("list", { name: `History of ${name}` });
  await expect(history).toContainText(`created the flag ${key}`);

  // the grid has it, off, under its category
  await page.goto("/flags");
  await page.getByLabel("Search flags").fill(key);
  const row = page.getByRole("row").filter({ hasText: key });
  await expect(row).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "e2e" })).toBeVisible();
  await row.getByRole("link", { name }).click();
  await expect(page).toHaveURL(`/flags/${key}`);

  // archived with a reason; a reason is required
  await page.getByRole("button", { name: "Archive flag" }).click();
  await expect(page.getByLabel("Why archive it")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Why archive it").fill("Journey over");
  await page.getByRole("button", { name: "Archive flag" }).click();
  await expect(page.getByText(/applications no longer get this flag/)).toBeVisible();
  await expect(history).toContainText(`archived the flag ${key} (no longer served): “Journey over”`);
  await expect(page.getByRole("button", { name: "Restore flag" })).toBeVisible();

  // the grid no longer shows it, unless asked, and then read-only
  await page.goto("/flags");
  await page.getByLabel("Search flags").fill(key);
  await expect(page.getByText(`No flag matches “${key}”.`)).toBeVisible();
  await page.getByLabel(/^Show archived/).check();
  await expect(row).toContainText("Archived");
  await expect(row.getByRole("button", { name: /^Turn (on|off) / })).toHaveCount(0);
  await expect(row.getByText(/^Edit/)).toHaveCount(0);
});

test("a flag that does not exist is a 404", async ({ page }) => {
  const response = await page.goto(`/flags/noSuchFlag${unique()}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Flag not found" })).toBeVisible();
});

test.describe("as QA", () => {
  test.use({ storageState: storageStateOf("qa") });

  test("QA has no “New flag” button, and reads a flag's page without any way to change it", async ({ page }) => {
    await page.goto("/flags");
    await expect(page.getByRole("heading", { level: 1, name: "Feature flags" })).toBeVisible();
    await expect(page.getByRole("link", { name: "New flag" })).toHaveCount(0);

    await page.getByLabel("Search flags").fill("checkoutEnabled");
    await page.getByRole("row").filter({ hasText: "checkoutEnabled" }).getByRole("link", { name: "Checkout" }).click();
    await expect(page).toHaveURL("/flags/checkoutEnabled");
    await expect(page.getByRole("heading", { level: 1, name: "Checkout" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Checkout in each environment" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: "History" })).toBeVisible();
    await expect(page.getByRole("button", { name: /^(Archive|Restore) flag$/ })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Turn (on|off) / })).toHaveCount(0);

    // the form refuses, and so would the server
    await page.goto("/flags/new");
    await expect(page.getByText("You need the flag.manage permission")).toBeVisible();
    await expect(page.getByRole("button", { name: "Create flag" })).toHaveCount(0);
  });
});
