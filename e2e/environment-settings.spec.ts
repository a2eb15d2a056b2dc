import { expect, test, type Page } from "@playwright/test";
import { storageStateOf } from "./personas";

// An admin changes staging's gates, checklist and freeze windows and finds each change on the
// environment page; QA, who may not manage production, is told so. The admin's changes are
// undone at the end, so later journeys see the demo as it was.

const SETTINGS = "/environments/staging/settings";

const region = (page: Page, name: string) => page.getByRole("region", { name, exact: true });

async function saved(page: Page, message: string) {
  await expect(page.getByRole("status").filter({ hasText: message })).toBeVisible();
}

test("the admin changes staging's approvals, checklist and freeze windows", async ({ page }) => {
  await page.goto("/environments/staging");
  await page.getByRole("link", { name: "Settings", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Staging settings" })).toBeVisible();

  // ticking "protected" ticks "own approval does not count" too, until the user decides otherwise
  const selfApproval = page.getByLabel("The release author's own approval does not count");
  await expect(selfApproval).not.toBeChecked();
  await page.getByLabel("Protected", { exact: true }).check();
  await expect(selfApproval).toBeChecked();
  await page.reload();
  await expect(page.getByLabel("Protected", { exact: true })).not.toBeChecked();

  // gates
  await page.getByLabel("Required approvals").fill("2");
  await page.getByRole("button", { name: "Save settings" }).click();
  await saved(page, "Settings saved.");

  // checklist: one more item, at the end
  const items = page.getByRole("list", { name: "Checklist items" }).getByRole("listitem");
  const count = await items.count();
  await page.getByRole("button", { name: "Add item" }).click();
  const label = page.getByLabel(`Item ${count + 1}`, { exact: true });
  await expect(label).toBeFocused();
  await label.fill("Smoke test the checkout");
  await page.getByRole("button", { name: "Save checklist" }).click();
  await saved(page, "Checklist saved.");

  // a one-off freeze window, in Paris time
  await page.getByLabel("Reason", { exact: true }).fill("Christmas freeze (e2e)");
  await page.getByLabel("Time zone").selectOption("Europe/Paris");
  await page.getByLabel("Starts", { exact: true }).fill("2099-12-24T18:00");
  await page.getByLabel("Ends", { exact: true }).fill("2099-12-26T08:00");
  await page.getByRole("button", { name: "Add freeze window" }).click();
  await saved(page, "Freeze window added.");
  const windows = page.getByRole("list", { name: "Freeze windows" });
  await expect(windows.getByText("Once: Thu 24 Dec 2099, 18:00 → Sat 26 Dec 2099, 08:00 (Europe/Paris)")).toBeVisible();

  await page.goto("/environments/staging");
  await expect(region(page, "Gates and settings").getByText("2 approvals required")).toBeVisible();
  await expect(region(page, "Checklist").getByText("Smoke test the checkout")).toBeVisible();
  await expect(region(page, "Freeze windows").getByText("Christmas freeze (e2e)")).toBeVisible();

  // delete the window again: it asks first
  await page.goto(SETTINGS);
  await page.getByRole("button", { name: "Delete freeze window “Christmas freeze (e2e)”" }).click();
  await page.getByRole("button", { name: "Yes, delete" }).click();
  await expect(windows.getByText("Christmas freeze (e2e)")).toHaveCount(0);
  await page.goto("/environments/staging");
  await expect(region(page, "Freeze windows").getByText("Christmas freeze (e2e)")).toHaveCount(0);

  // put the demo back as it was
  await page.goto(SETTINGS);
  await page.getByLabel("Required approvals").fill("0");
  await page.getByRole("button", { name: "Save settings" }).click();
  await saved(page, "Settings saved.");
  await page.getByRole("button", { name: `Remove item ${count + 1}`, exact: true }).click();
  await page.getByRole("button", { name: "Save checklist" }).click();
  await saved(page, "Checklist saved.");
  await page.goto("/environments/staging");
  await expect(region(page, "Gates and settings").getByText("None required")).toBeVisible();
  await expect(region(page, "Checklist").getByText("Smoke test the checkout")).toHaveCount(0);
});

test("the admin creates an SDK key for staging, sees it once, and revokes it", async ({ page }) => {
  const name = `storefront-e2e-${Date.now().toString(36)}`;
  await page.goto(`${SETTINGS}#sdk-keys`);
  const keys = region(page, "SDK keys");
  await keys.getByLabel("New key for").fill(name);
  await keys.getByRole("button", { name: "Create SDK key" }).click();
  const created = keys.getByRole("heading", { name: `SDK key “${name}” created` });
  await expect(created).toBeFocused();
  const secret = await keys.getByLabel("SDK key", { exact: true }).inputValue();
  expect(secret).toMatch(/^glsdk_[A-Za-z0-9_-]{32}$/);
  await keys.getByRole("button", { name: "I have copied it" }).click();
  await expect(created).toBeHidden();

  // listed by its first characters only, never the whole key again
  const row = keys.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText(`${secret.slice(0, 12)}…`);
  await page.reload();
  await expect(page.getByText(secret)).toHaveCount(0);

  // an empty name is refused with the field's message
  await keys.getByRole("button", { name: "Create SDK key" }).click();
  await expect(keys.getByText("Enter a name")).toBeVisible();

  await row.getByRole("button", { name: "Revoke" }).click();
  await row.getByRole("button", { name: "Yes, revoke" }).click();
  await expect(row).toBeHidden();
  await expect(keys.getByText(new RegExp(`Revoked: .*${name}`))).toBeVisible();
});

test.describe("as QA", () => {
  test.use({ storageState: storageStateOf("qa") });

  test("production's settings are refused, and the environment page offers no link to them", async ({ page }) => {
    await page.goto("/environments/production/settings");
    await expect(page.getByRole("heading", { level: 1, name: "Production settings" })).toBeVisible();
    await expect(page.getByText("You need the environment.manage permission")).toBeVisible();
    await expect(page.getByRole("button", { name: "Save settings" })).toHaveCount(0);
    await page.goto("/environments/production");
    await expect(page.getByRole("link", { name: "Settings", exact: true })).toHaveCount(0);
  });
});
