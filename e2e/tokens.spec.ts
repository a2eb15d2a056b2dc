import type { APIRequestContext, Page } from "@playwright/test";
import { createUser, expect, test, unique } from "./fixtures";

// A token never does more than its owner can do now. A person of the journey's own, made an
// admin, creates a token; the admin persona then demotes them step by step and deactivates
// them. After each step the token is tried against the real API and the Tokens page says what
// it lost and why. Everything here belongs to this journey: the person, their token.

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

async function exportStatus(request: APIRequestContext, token: string): Promise<number> {
  return (await request.get("/audit/export?action=token.", bearer(token))).status();
}

async function setRoles(page: Page, name: string, roles: Record<string, boolean>): Promise<void> {
  await page.goto("/users");
  await page.getByRole("button", { name: `Edit roles of ${name}` }).click();
  const dialog = page.getByRole("dialog", { name: `Roles of ${name}` });
  for (const [role, on] of Object.entries(roles)) await dialog.getByLabel(role, { exact: true }).setChecked(on);
  await dialog.getByRole("button", { name: "Save roles" }).click();
  await expect(dialog).toBeHidden();
}

/** The token's row on the Tokens page, as the admin persona sees it. */
async function tokenRow(page: Page, tokenName: string) {
  await page.goto("/tokens");
  return page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: new RegExp(tokenName) }) });
}

test("a token loses power with its owner, and the Tokens page says why", async ({ page, browser, request }) => {
  // a person of its own, two sign-ins and four changes of who they are: longer than one page
  test.setTimeout(180_000);
  const person = await createUser(page, ["Admin"]);
  const tokenName = `e2e-owner-${unique()}`;

  // the person signs in and creates a token that may export the audit trail and create releases
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const own = await context.newPage();
  await own.goto("/sign-in");
  await own.getByLabel("Email").fill(person.email);
  await own.getByLabel("Password").fill(person.password);
  await own.getByRole("button", { name: "Sign in" }).click();
  await expect(own.getByRole("heading", { level: 1, name: "Pipeline" })).toBeVisible({ timeout: 30_000 });
  await own.goto("/tokens");
  await own.getByLabel("Name", { exact: true }).fill(tokenName);
  await own.getByLabel(/audit\.view/).check();
  await own.getByLabel(/release\.create/).check();
  await own.getByRole("button", { name: "Create token" }).click();
  const secret = own.locator("input[readonly], textarea[readonly]").first();
  await expect(secret).toHaveValue(/^glt_/);
  const token = await secret.inputValue();
  await context.close();

  expect(await exportStatus(request, token)).toBe(200);
  let row = await tokenRow(page, tokenName);
  await expect(row.getByText("Active", { exact: true })).toBeVisible();
  await expect(page.getByRole("list", { name: `What ${tokenName} no longer does` })).toHaveCount(0);

  await test.step("demoted to developer: a partial loss, listed as a warning; the token keeps the rest", async () => {
    await setRoles(page, person.name, { Admin: false, Developer: true });
    row = await tokenRow(page, tokenName);
    await expect(row.getByText("Active", { exact: true })).toBeVisible();
    const lost = page.getByRole("list", { name: `What ${tokenName} no longer does` });
    await expect(lost).toContainText("Owner no longer holds release.create in Production (role Admin removed)");
    await expect(lost).toContainText("Owner no longer holds audit.view globally (role Admin removed)");
    // audit.view of development and staging is left: the export still answers, within them
    expect(await exportStatus(request, token)).toBe(200);
  });

  await test.step("demoted to business owner: lost power, each grant named; the API refuses", async () => {
    await setRoles(page, person.name, { Developer: false, "Business owner": true });
    row = await tokenRow(page, tokenName);
    await expect(row.getByText("Lost power", { exact: true })).toBeVisible();
    const why = page.getByRole("list", { name: `Why ${tokenName} lost power` });
    await expect(why).toContainText(
      "Owner no longer holds release.create in Development, Staging and Production (role Admin removed)",
    );
    await expect(why).toContainText("Owner no longer holds audit.view globally (role Admin removed)");
    expect(await exportStatus(request, token)).toBe(403);
  });

  await test.step("deactivated: refused with 401 saying why, and the page names the owner", async () => {
    await page.goto("/users");
    await page.getByRole("button", { name: `Deactivate ${person.name}` }).click();
    await page
      .getByRole("group", { name: `Deactivate ${person.name}?` })
      .getByRole("button", { name: "Yes, deactivate" })
      .click();
    await expect(page.getByRole("button", { name: `Reactivate ${person.name}` })).toBeVisible();

    const refused = await request.get("/audit/export", bearer(token));
    expect(refused.status()).toBe(401);
    expect(((await refused.json()) as { message: string }).message).toContain(
      `This token's owner ${person.name} is deactivated`,
    );
    row = await tokenRow(page, tokenName);
    await expect(row.getByText("Lost power", { exact: true })).toBeVisible();
    await expect(page.getByRole("list", { name: `Why ${tokenName} lost power` })).toHaveText(
      `Owner ${person.name} is deactivated`,
    );
  });
});
