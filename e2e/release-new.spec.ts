import { expect, test, type Page } from "@playwright/test";
import { storageStateOf } from "./personas";

// A release created by hand through the "New release" form. In the demo matrix developers hold
// release.create in Development, where releases enter the pipeline; business owners do not.

const SHA = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

async function fillRequired(page: Page, version: string) {
  await page.getByLabel("Application").selectOption("storefront");
  await page.getByLabel("Version").fill(version);
  await page.getByLabel("Commit SHA").fill(SHA);
  await page.getByLabel("Title").fill("Gift cards at checkout");
}

test.describe("as a developer", () => {
  test.use({ storageState: storageStateOf("developer") });

  test("creates a release through the form and lands on its page", async ({ page }) => {
    const version = `3.0.0-e2e.${Date.now()}`;
    await page.goto("/releases");
    await page.getByRole("link", { name: "New release" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "New release" })).toBeVisible();

    await fillRequired(page, version);
    await page.getByLabel("Commit time (optional)").fill("2026-03-01T09:30");
    const changelog = page.getByLabel("Changelog");
    // bytes, not characters: 6,300 "é" are 12,600 bytes in UTF-8
    await changelog.fill("é".repeat(6_300));
    await expect(page.getByText("12.3 KB of 64 KB")).toBeVisible();
    await changelog.fill("## Added\n- Gift cards at checkout");

    await page.getByRole("button", { name: "Add link" }).click();
    await expect(page.getByLabel("Link 1 label")).toBeFocused();
    await page.getByLabel("Link 1 label").fill("Pull request");
    await page.getByLabel("Link 1 address").fill("https://git.demo.example/shop/storefront/pull/1500");
    // a second row left blank is ignored
    await page.getByRole("button", { name: "Add link" }).click();

    await page.getByRole("button", { name: "Create release" }).click();
    await expect(page).toHaveURL(/\/releases\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(version);
    // the release's own links (the promotion's contents may list the same link again)
    const links = page.getByRole("list", { name: "Links" });
    await expect(links.getByRole("link", { name: "Pull request" })).toHaveAttribute(
      "href",
      "https://git.demo.example/shop/storefront/pull/1500",
    );
    const url = page.url();

    // the same version at the same commit again: no second release, the first one, flagged
    await page.goto("/releases/new");
    await fillRequired(page, version);
    await page.getByRole("button", { name: "Create release" }).click();
    await expect(page).toHaveURL(`${url}?existing=1`);
  });

  test("shows the server's message next to the field it is about, and focuses it", async ({ page }) => {
    await page.goto("/releases/new");
    await fillRequired(page, "next-tuesday");
    await page.getByRole("button", { name: "Add link" }).click();
    await page.getByLabel("Link 1 label").fill("Ticket");
    await page.getByLabel("Link 1 address").fill("ftp://tickets.example/1");
    await page.getByRole("button", { name: "Create release" }).click();

    const version = page.getByLabel("Version");
    await expect(version).toHaveAttribute("aria-invalid", "true");
    await expect(version).toBeFocused();
    await expect(version).toHaveAccessibleDescription(/Use a semantic version such as 1\.4\.0/);
    await expect(page.getByLabel("Link 1 address")).toHaveAccessibleDescription(/Enter an http\(s\) address/);
    await expect(page.getByRole("alert").filter({ hasText: "Some fields need attention" })).toBeVisible();
    // what was typed is still there
    await expect(page.getByLabel("Title")).toHaveValue("Gift cards at checkout");

    await version.fill(`3.0.1-e2e.${Date.now()}`);
    await page.getByLabel("Link 1 address").fill("https://tickets.example/1");
    await page.getByRole("button", { name: "Create release" }).click();
    await expect(page).toHaveURL(/\/releases\/[0-9a-f-]{36}/);
  });
});

test.describe("as a business owner", () => {
  test.use({ storageState: storageStateOf("businessOwner") });

  test("sees why there is no form, and no link to it", async ({ page }) => {
    await page.goto("/releases");
    await expect(page.getByRole("heading", { level: 1, name: "Releases" })).toBeVisible();
    await expect(page.getByRole("link", { name: "New release" })).toHaveCount(0);

    await page.goto("/releases/new");
    await expect(page.getByText("You need the release.create permission")).toBeVisible();
    await expect(page.getByRole("button", { name: "Create release" })).toHaveCount(0);
  });
});
