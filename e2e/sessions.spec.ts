import { expect, test, type Browser } from "@playwright/test";
import { createUser } from "./fixtures";

// A session is a row on the server that the cookie names: once it ends (sign-out, deactivation,
// a password reset), a copy of the cookie opens nothing, even after the person is reactivated.

async function signedInContext(browser: Browser, email: string, password: string) {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Pipeline" })).toBeVisible({ timeout: 30_000 });
  return { context, page };
}

test("signing out ends the session for every copy of its cookie", async ({ page, browser }) => {
  const admin = await createUser(page, ["Admin"]);
  const { context, page: own } = await signedInContext(browser, admin.email, admin.password);
  await own.goto("/users");
  await expect(own.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
  // someone copies the cookie
  const stolen = await context.storageState();

  await own.getByRole("button", { name: "Sign out" }).click();
  await expect(own).toHaveURL(/\/sign-in/);

  const thief = await browser.newContext({ storageState: stolen });
  const thiefPage = await thief.newPage();
  for (const path of ["/users", "/tokens"]) {
    await thiefPage.goto(path);
    await expect(thiefPage).toHaveURL(/\/sign-in/);
  }
  // the machine-facing side says the same: no session behind the cookie
  const live = await thiefPage.request.get("/api/live");
  expect(live.status()).toBe(401);
  await thief.close();
  await context.close();
});

test("a password reset signs the person out everywhere", async ({ page, browser }) => {
  const person = await createUser(page, ["Developer"]);
  const { context, page: theirs } = await signedInContext(browser, person.email, person.password);

  await page.goto("/users");
  await page.getByRole("button", { name: `Set password of ${person.name}` }).click();
  const dialog = page.getByRole("dialog", { name: `New password for ${person.name}` });
  await dialog.getByLabel("New password", { exact: true }).fill(`new-${person.password}`);
  await dialog.getByRole("button", { name: "Set password" }).click();
  await expect(dialog.getByText("Password changed.")).toBeVisible();

  await theirs.goto("/releases");
  await expect(theirs).toHaveURL(/\/sign-in/);
  await context.close();
});
