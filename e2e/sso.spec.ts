import { randomBytes } from "node:crypto";
import { expect, test, type APIResponse, type Page } from "@playwright/test";
import { OIDC_PORT, SSO_HOST, SSO_PORT } from "./sso-config";

// Single sign-on through a real OpenID Connect provider (e2e/oidc-server.ts, on 127.0.0.1),
// with Greenlight's public address at a name that is not localhost (GREENLIGHT_URL =
// http://greenlight.test:PORT, which Chromium maps to 127.0.0.1): the provider's login and
// consent pages, the token exchange with the redirect URI it registered, and the way back
// signed in. Everyone signing in here is a person of the journey's own (a fresh login).

const PUBLIC = `http://${SSO_HOST}:${SSO_PORT}`;
const PROVIDER = `http://127.0.0.1:${OIDC_PORT}`;
// a sign-in goes through two servers and four page loads; the first warms both up
test.describe.configure({ timeout: 90_000 });

const fresh = (kind: string) => `${kind}-${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;

/** From a page that asks for sign-in, through the provider's own pages, back to Greenlight. */
async function signInThroughProvider(page: Page, login: string): Promise<URL> {
  let redirectUri: string | null = null;
  page.on("request", (r) => {
    if (r.url().startsWith(`${PROVIDER}/auth?`)) redirectUri = new URL(r.url()).searchParams.get("redirect_uri");
  });
  await page.goto("/");
  await expect(page).toHaveURL(`${PUBLIC}/sign-in`);
  await page.getByRole("button", { name: "Continue with Test identity provider" }).click();
  await expect(page).toHaveURL(new RegExp(`^${PROVIDER}/interaction/`));
  await page.getByPlaceholder("Enter any login").fill(login);
  await page.getByPlaceholder("and password").fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(`${PUBLIC}/`);
  expect(redirectUri).not.toBeNull();
  return new URL(redirectUri!);
}

test("signs in through the provider's login and consent pages, at the public address, with the roles its groups map to", async ({
  page,
  context,
}) => {
  const login = fresh("po");
  const redirectUri = await signInThroughProvider(page, login);
  // the provider was given, and accepted, the public address's callback: not localhost
  expect(redirectUri.href).toBe(`${PUBLIC}/api/auth/callback/oidc`);
  await expect(page.getByRole("heading", { level: 1, name: "Pipeline" })).toBeVisible({ timeout: 30_000 });
  const header = page.getByRole("banner");
  await expect(header.getByText(`SSO ${login}`)).toBeVisible();
  // "release-managers" maps to the product owner role (AUTH_SSO_GROUP_ROLES)
  await expect(header.getByText("Product owner")).toBeVisible();
  const session = (await context.cookies()).find((c) => c.name.endsWith("authjs.session-token"));
  expect(session?.domain).toBe(SSO_HOST);
  // and the board is live, not reconnecting
  await expect(page.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
});

test("a provider that shares email and groups only through userinfo signs people in all the same", async ({
  page,
  request,
}) => {
  const login = fresh("userinfo");
  await signInThroughProvider(page, login);
  await expect(page.getByRole("heading", { level: 1, name: "Pipeline" })).toBeVisible({ timeout: 30_000 });
  // "qa-team", read from userinfo, maps to the QA engineer role
  await expect(page.getByRole("banner").getByText("QA engineer")).toBeVisible();
  // the provider's own account of it: the ID token held the subject only
  const issued = (await (await request.get(`${PROVIDER}/_test/issued/${login}`)).json()) as Record<string, string[]>;
  expect(issued.id_token).toEqual(["sub"]);
  expect(issued.userinfo).toEqual(expect.arrayContaining(["email", "email_verified", "groups"]));
});

test("someone without a role is told an admin must grant one, instead of a page that keeps reconnecting", async ({
  page,
}) => {
  const login = fresh("norole");
  const polls: number[] = [];
  page.on("response", (r) => {
    if (r.url() === `${PUBLIC}/api/live`) polls.push(r.status());
  });
  await signInThroughProvider(page, login);
  await expect(page.getByText("You have no access yet")).toBeVisible();
  await expect(
    page.getByText(`You are signed in as ${login}@sso.example.test, but you have no role yet.`),
  ).toBeVisible();
  await expect(page.getByText(/An admin must grant you one/)).toBeVisible();
  await expect(page.getByText("Reconnecting…")).toHaveCount(0);
  // the board's poller is not there to be refused
  await page.waitForTimeout(2_000);
  expect(polls).toEqual([]);
  await page.getByRole("main").getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(`${PUBLIC}/sign-in`);
});

test("a page asked for at another name of the server moves to the public address first", async ({ page }) => {
  await page.goto(`http://127.0.0.1:${SSO_PORT}/sign-in?callbackUrl=%2Freleases`);
  await expect(page).toHaveURL(`${PUBLIC}/sign-in?callbackUrl=%2Freleases`);
  await expect(page.getByRole("button", { name: "Continue with Test identity provider" })).toBeVisible();
});

test("without a configured proxy, a made-up X-Forwarded-For does not escape the per-address delay", async ({
  playwright,
}) => {
  // straight at the server's address: API requests are never moved to the public one
  const request = await playwright.request.newContext({ baseURL: `http://127.0.0.1:${SSO_PORT}` });
  // a fresh account each time and a different "client" each time, first hop and last: only the
  // socket's address (127.0.0.1) ties the attempts together, and 10 failures from one address
  // make the next attempt from it wait
  const attempt = async (i: number) => {
    const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    return request.post("/api/auth/callback/credentials", {
      form: { csrfToken: csrf.csrfToken, email: `${fresh("nobody")}@example.test`, password: `guess ${i}` },
      headers: { "x-forwarded-for": `198.51.100.${i}, 203.0.113.${i}` },
      maxRedirects: 0,
    });
  };
  let refused: APIResponse | null = null;
  for (let i = 0; i < 16 && !refused; i++) {
    const response = await attempt(i);
    if (response.status() === 429) refused = response;
  }
  expect(refused, "a 429 within 16 attempts").not.toBeNull();
  const retryAfter = Number(refused!.headers()["retry-after"]);
  expect(retryAfter).toBeGreaterThan(0);
  // the per-address wait is short: it must not keep out colleagues behind the same address
  expect(retryAfter).toBeLessThanOrEqual(60);
  await request.dispose();
});
