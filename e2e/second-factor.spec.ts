import { expect, type Browser, type Page } from "@playwright/test";
import pg from "pg";
import { createUser, test, type NewUser } from "./fixtures";
import { enrolOnSecurityPage, enterCode, stepUpDialog } from "./journey-second-factor";
import { journeyDatabaseUrl } from "./preset-server";

// Second factors from end to end, with people of their own made on the Users page: one sets up
// an authenticator app on their Security page (its codes computed from the key the page shows,
// as a phone would), sees the recovery codes once, and is asked for a code when they approve
// in an environment whose settings ask for one: a wrong code is refused, the right one lets the
// approval through, a recovery code works once. An admin sees who has set one up and resets it.
// Minting a token after a sign-in older than 15 minutes asks for the password first.

/** A person signing in through the sign-in page, in a browser of their own. */
async function signInAs(browser: Browser, baseURL: string | undefined, user: NewUser): Promise<Page> {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signInOn(page, user);
  return page;
}

async function signInOn(page: Page, user: NewUser): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // signing in hashes a password: slow on a busy machine
  await expect(page.getByRole("heading", { level: 1, name: "Pipeline" })).toBeVisible({ timeout: 30_000 });
}

/** A new browser session: what passed a second factor in the old one does not carry over. */
async function signInAgain(page: Page, user: NewUser): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await signInOn(page, user);
}

/** The admin sets, on the environment's settings page, whether actions there need a second factor. */
async function askForSecondFactor(page: Page, environmentKey: string, required: boolean, minutes: number) {
  await page.goto(`/environments/${environmentKey}/settings`);
  const box = page.getByLabel("Actions here need a second factor");
  await expect(box).toBeVisible();
  await box.setChecked(required);
  await page.getByLabel("A second factor stays valid for (minutes)").fill(String(minutes));
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Settings saved." })).toBeVisible();
}

/** Fills the Tokens page's form for a token that may create releases, and presses Create. */
async function askForToken(page: Page, name: string): Promise<void> {
  await page.goto("/tokens");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel(/release\.create/).check();
  await page.getByRole("button", { name: "Create token" }).click();
}

test.describe("second factor", () => {
  // the demo's staging asks for nothing; this file turns it on, and always back off
  test.afterEach(async ({ browser, baseURL }, testInfo) => {
    // room of its own, even after a test that ran out of time
    testInfo.setTimeout(testInfo.timeout + 60_000);
    const context = await browser.newContext({ baseURL });
    await askForSecondFactor(await context.newPage(), "staging", false, 720);
    await context.close();
  });

  test("a QA engineer sets up an app, is asked for a code to approve in staging, and an admin resets it", async ({
    page,
    browser,
    baseURL,
    releases,
  }) => {
    // six sign-ins (each hashes a password) and a real deploy: minutes on a busy machine
    test.setTimeout(420_000);
    const person = await createUser(page, ["QA engineer"]);
    const release = await releases.inDevelopment("storefront", "Needs a second factor to approve in staging");

    // the settings page refuses a time out of range, with the field's message
    await page.goto("/environments/staging/settings");
    await page.getByLabel("A second factor stays valid for (minutes)").fill("2");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("Use a number from 5 to 1440")).toBeVisible();
    await askForSecondFactor(page, "staging", true, 30);

    // the person finds their Security page from the header and sets up an app
    const qa = await signInAs(browser, baseURL, person);
    await qa.getByRole("link", { name: "Security" }).click();
    await expect(qa.getByRole("heading", { level: 1, name: "Security" })).toBeVisible();
    const { phone, recoveryCodes } = await enrolOnSecurityPage(qa, person.email);
    expect(new Set(recoveryCodes).size).toBe(10);
    await expect(qa.getByText("10 codes of 10")).toBeVisible();
    // shown once: never again
    await qa.reload();
    await expect(qa.getByText("Recovery codes left")).toBeVisible();
    await expect(qa.getByRole("list", { name: "Recovery codes" })).toHaveCount(0);
    await expect(qa.getByText(recoveryCodes[0]!)).toHaveCount(0);

    // a new session, which has not passed a second factor: the release page says a code will be asked
    await signInAgain(qa, person);
    await qa.goto(release.path);
    const approvals = qa.getByRole("region", { name: "Approvals" });
    await expect(qa.getByRole("note", { name: "Second factor" })).toContainText(
      "Staging asks for a second factor — you will be asked for a code",
    );
    await approvals.getByRole("textbox", { name: "Comment" }).fill("Tested with a second factor");
    await approvals.getByRole("button", { name: "Approve", exact: true }).click();

    const dialog = stepUpDialog(qa);
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText("Staging requires a second factor for this");
    await expect(dialog.getByLabel("Code", { exact: true })).toBeFocused();
    // Escape closes it; the approval is not given, and the page says why
    await qa.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(approvals.getByRole("alert")).toContainText("Staging requires a second factor");

    await approvals.getByRole("button", { name: "Approve", exact: true }).click();
    await expect(dialog).toBeVisible();
    await enterCode(qa, phone.wrongCode());
    await expect(dialog.getByText(/That code does not match/)).toBeVisible();
    await expect(dialog.getByLabel("Code", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await enterCode(qa, await phone.code());
    await expect(dialog).toBeHidden();
    await expect(approvals.getByRole("status")).toContainText(`You approved ${release.version} for Staging`);
    await expect(qa.getByRole("note", { name: "Second factor" })).toContainText(
      "Staging asks for a second factor — verified just now",
    );

    // another new session, and a recovery code instead of the app: it works once
    await signInAgain(qa, person);
    await qa.goto(release.path);
    await approvals.getByRole("button", { name: "Withdraw" }).click();
    await enterCode(qa, recoveryCodes[0]!);
    await expect(dialog).toBeHidden();
    await expect(approvals.getByRole("status")).toContainText("Your approval was withdrawn.");
    await qa.goto("/account");
    await expect(qa.getByText("9 codes of 10")).toBeVisible();

    // the admin sees who has a second factor, and resets this one (lost phone)
    await page.goto("/users");
    const row = page.getByRole("row").filter({ hasText: person.email });
    await expect(row.getByRole("cell").filter({ hasText: /^Set up\s*since/ })).toBeVisible();
    await row.getByRole("button", { name: `Reset second factor of ${person.name}` }).click();
    await row.getByRole("button", { name: "Yes, reset" }).click();
    await expect(row.getByRole("status")).toHaveText(
      `Second factor of ${person.name} reset: they set up a new app from their Security page.`,
    );
    await expect(row.getByRole("cell", { name: "Not set up" })).toBeVisible();
    // the person sets up a new one from their Security page
    await qa.reload();
    await expect(qa.getByRole("button", { name: "Set up an authenticator app" })).toBeVisible();
    // and an approval now sends them there (this session's code still counts until it ages,
    // so a fresh session)
    await signInAgain(qa, person);
    await qa.goto(release.path);
    await approvals.getByRole("button", { name: "Approve", exact: true }).click();
    await expect(dialog).toContainText("You have no authenticator app set up yet");
    await dialog.getByRole("link", { name: "Set one up on your Security page" }).click();
    await expect(qa).toHaveURL(/\/account$/);
    await qa.context().close();
  });

  test("creating a token after a sign-in older than 15 minutes asks for the password first", async ({
    page,
    browser,
    baseURL,
  }) => {
    test.skip(
      !process.env.TEST_DATABASE_URL,
      "ages the session row in the server's database, known only with TEST_DATABASE_URL",
    );
    test.setTimeout(120_000);
    const admin = await createUser(page, ["Admin"]);
    const tab = await signInAs(browser, baseURL, admin);
    // fresh sign-in: no question asked
    await askForToken(tab, `e2e-fresh-${Date.now()}`);
    await expect(tab.locator("input[readonly], textarea[readonly]").first()).toHaveValue(/^glt_/);
    await expect(stepUpDialog(tab)).toHaveCount(0);

    // 20 minutes pass (no page can do that): the session's sign-in is aged where the server keeps it
    const client = new pg.Client({ connectionString: journeyDatabaseUrl() });
    await client.connect();
    try {
      const { rowCount } = await client.query(
        `update "Session" s set "authenticatedAt" = now() - interval '20 minutes'
         from "User" u where u.id = s."userId" and u.email = $1 and s."revokedAt" is null`,
        [admin.email],
      );
      expect(rowCount).toBe(1);
    } finally {
      await client.end();
    }

    await askForToken(tab, `e2e-stale-${Date.now()}`);
    const dialog = stepUpDialog(tab);
    await expect(dialog).toContainText("Confirm your password to create a token");
    await dialog.getByLabel("Password").fill("not the password");
    await dialog.getByRole("button", { name: "Confirm" }).click();
    await expect(dialog.getByText("That password is not right")).toBeVisible();
    await dialog.getByLabel("Password").fill(admin.password);
    await dialog.getByRole("button", { name: "Confirm" }).click();
    await expect(dialog).toBeHidden();
    // the token is made once the password is confirmed, without filling the form again
    await expect(tab.locator("input[readonly], textarea[readonly]").first()).toHaveValue(/^glt_/);
    await tab.context().close();
  });
});
