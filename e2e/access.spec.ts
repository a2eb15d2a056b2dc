import type { APIRequestContext } from "@playwright/test";
import { createUser, documentationAddress, expect, test } from "./fixtures";
import { PASSWORD, PERSONAS, storageStateOf, type PersonaKey } from "./personas";

// Sign-in and the access matrix, as the personas meet them in a browser. Whoever is refused,
// locked out or deactivated here is a person of the journey's own (e2e/fixtures.ts), with a
// made-up address per journey: sign-in delays count failures per account and per address for
// an hour, so a repeated journey must not meet its earlier run's failures.

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a page asks for sign-in and comes back to it afterwards", async ({ page }) => {
    await page.goto("/releases?page=2");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Freleases%3Fpage%3D2$/);
    await page.getByLabel("Email").fill(PERSONAS.developer.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/releases\?page=2$/);
    await expect(page.getByRole("heading", { level: 1, name: "Releases" })).toBeVisible();
  });

  test("a wrong password and an unknown email get the same message", async ({ page, people }) => {
    const someone = await createUser(await people.page("admin"));
    await page.setExtraHTTPHeaders({ "x-forwarded-for": documentationAddress() });
    const messages: string[] = [];
    for (const email of [someone.email, `nobody-${someone.email}`]) {
      await page.goto("/sign-in");
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill("not-the-password");
      await page.getByRole("button", { name: "Sign in" }).click();
      // (Next's route announcer is an alert too: take the form's own)
      messages.push(await page.locator("form [role=alert]").innerText());
    }
    expect(messages[0]).toBe("That email and password do not match an active account.");
    expect(messages[1]).toBe(messages[0]);
  });

  test("the sign-in return address stays on this site", async ({ page }) => {
    await page.goto("/sign-in?callbackUrl=https%3A%2F%2Fevil.example%2F");
    await page.getByLabel("Email").fill(PERSONAS.devops.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/^http:\/\/localhost:\d+\/$/);
  });
});

async function postCredentials(request: APIRequestContext, email: string, password: string, address: string) {
  const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  return request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, email, password },
    headers: { "x-forwarded-for": address },
    maxRedirects: 0,
  });
}

test("failed sign-ins make that address wait for that account (429 with Retry-After), not the owner elsewhere", async ({
  page,
  playwright,
}) => {
  const { email, password } = await createUser(page);
  const request = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const guesser = documentationAddress();
  for (let i = 0; i < 3; i++) {
    const response = await postCredentials(request, email, `wrong-${i}`, guesser);
    expect(response.status(), `attempt ${i + 1}`).not.toBe(429);
  }
  // past 3 failures the guesser's address waits 1 s, then 2 s … for this account, even with the
  // right password: one of the next two attempts comes too soon
  let refused = await postCredentials(request, email, "wrong-3", guesser);
  if (refused.status() !== 429) refused = await postCredentials(request, email, password, guesser);
  expect(refused.status()).toBe(429);
  expect(Number(refused.headers()["retry-after"])).toBeGreaterThan(0);
  expect(await refused.json()).toMatchObject({ error: "too_many_attempts" });
  // the owner, from their own address, is not locked out
  const owner = await postCredentials(request, email, password, documentationAddress());
  expect(owner.status()).toBe(302);
  expect(owner.headers()["location"]).not.toContain("error=");
  await request.dispose();
});

for (const key of Object.keys(PERSONAS) as PersonaKey[]) {
  test.describe(`as ${key}`, () => {
    test.use({ storageState: storageStateOf(key) });
    test("sees their own home", async ({ page }) => {
      const persona = PERSONAS[key];
      await page.goto("/");
      await expect(page.getByRole("heading", { level: 1, name: "Pipeline" })).toBeVisible();
      const header = page.getByRole("banner");
      await expect(header.getByText(persona.name)).toBeVisible();
      await expect(header.getByText(persona.role)).toBeVisible();
    });
  });
}

test.describe("a QA engineer", () => {
  test.use({ storageState: storageStateOf("qa") });

  test("toggles a flag in staging, but a forged request for production is refused", async ({ page }) => {
    await page.goto("/environments/staging");
    const flags = page.getByRole("region", { name: "Feature flags in Staging" });
    const first = flags.getByRole("button", { name: /^Turn (on|off) / }).first();
    const label = (await first.getAttribute("aria-label"))!;
    await first.click();
    const flipped = label.startsWith("Turn on")
      ? label.replace("Turn on", "Turn off")
      : label.replace("Turn off", "Turn on");
    await expect(flags.getByRole("button", { name: flipped })).toBeVisible();

    // production: the control is disabled and says why …
    await page.goto("/environments/production");
    const production = page.getByRole("region", { name: "Feature flags in Production" });
    const control = production.getByRole("button", { name: /^Turn (on|off) / }).first();
    await expect(control).toHaveAttribute("aria-disabled", "true");
    await expect(control).toHaveAttribute("title", "You need the flag.toggle permission in Production");

    // … and a request forged from the staging form is refused by the server
    await page.goto("/environments/staging");
    const form = page.getByRole("region", { name: "Feature flags in Staging" }).locator("form").first();
    await form
      .locator('input[name="environmentKey"]')
      .evaluate((input: HTMLInputElement) => (input.value = "production"));
    await form.getByRole("button").click();
    await expect(form.getByRole("alert")).toHaveText("You need the flag.toggle permission in Production to do this");
  });
});

test("pages carry security headers", async ({ request }) => {
  const response = await request.get("/sign-in");
  const headers = response.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).not.toContain("unsafe-eval");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
});

test("the session cookie is httpOnly and SameSite=Lax", async ({ context }) => {
  const session = (await context.cookies()).find((c) => c.name.endsWith("authjs.session-token"));
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");
});

test("an admin's matrix change shows on the affected user's next page load", async ({ page, browser }) => {
  const owner = await browser.newContext({ storageState: storageStateOf("businessOwner") });
  const ownerPage = await owner.newPage();
  const developmentColumn = ownerPage
    .getByRole("table")
    .first()
    .getByRole("columnheader", { name: /Development/ });
  await ownerPage.goto("/");
  await expect(ownerPage.getByRole("heading", { level: 1, name: "Pipeline" })).toBeVisible();
  await expect(developmentColumn).toHaveCount(0);

  await page.goto("/access");
  const cell = page.getByRole("combobox", { name: "Access for Business owner in Development" });
  await cell.selectOption({ label: "View only" });
  await expect(page.getByText(/Ana Ruiz set Business owner in Development to View only/)).toBeVisible();

  await ownerPage.reload();
  await expect(developmentColumn).toHaveCount(1);

  // and back, so the other journeys see the demo's matrix
  await cell.selectOption({ label: "No access" });
  await expect(page.getByText(/Ana Ruiz set Business owner in Development to No access/)).toBeVisible();
  await ownerPage.reload();
  await expect(developmentColumn).toHaveCount(0);
  await owner.close();
});

test("a deactivated user is signed out at their next request", async ({ page, browser }) => {
  const { name, email, password } = await createUser(page, ["Developer"]);
  const developer = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const developerPage = await developer.newPage();
  await developerPage.goto("/sign-in");
  await developerPage.getByLabel("Email").fill(email);
  await developerPage.getByLabel("Password").fill(password);
  await developerPage.getByRole("button", { name: "Sign in" }).click();
  await expect(developerPage.getByRole("heading", { level: 1, name: "Pipeline" })).toBeVisible({ timeout: 30_000 });
  await developerPage.goto("/releases");
  await expect(developerPage.getByRole("heading", { level: 1, name: "Releases" })).toBeVisible();

  await page.goto("/users");
  await page.getByRole("button", { name: `Deactivate ${name}` }).click();
  await page
    .getByRole("group", { name: `Deactivate ${name}?` })
    .getByRole("button", { name: "Yes, deactivate" })
    .click();
  await expect(page.getByRole("button", { name: `Reactivate ${name}` })).toBeVisible();

  // the same session cookie, one request later
  await developerPage.goto("/releases");
  await expect(developerPage).toHaveURL(/\/sign-in/);

  await page.getByRole("button", { name: `Reactivate ${name}` }).click();
  await page
    .getByRole("group", { name: `Reactivate ${name}?` })
    .getByRole("button", { name: "Yes, reactivate" })
    .click();
  await expect(page.getByRole("button", { name: `Deactivate ${name}` })).toBeVisible();
  await developer.close();
});
