import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import pg from "pg";
import { createUser, unique, type NewUser } from "./fixtures";
import { storageStateOf } from "./personas";
import { journeyDatabaseUrl } from "./preset-server";

// Flag changes end to end, read back through the evaluation API on the app's own port: an admin
// switches a staging flag and applications see it; in production the switch becomes a change
// request that a second admin approves; QA sees what it may not change and a forged change is
// refused and on the record. Each journey makes a flag of its own (the database of the
// journeys' server), so nothing depends on what other journeys switched.

test.skip(
  !process.env.TEST_DATABASE_URL,
  "makes its own flag in the server's database, known only with TEST_DATABASE_URL",
);

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: journeyDatabaseUrl() });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** A flag of this journey's own, off in every environment. */
async function freshFlag(): Promise<{ key: string; name: string }> {
  const id = unique();
  const flag = { key: `e2eFlag${id}`, name: `E2E flag ${id}` };
  await sql(
    `with f as (insert into "FeatureFlag" (id, key, name, category) values (gen_random_uuid(), $1, $2, 'e2e') returning id)
     insert into "FlagState" (id, "flagId", "environmentId", enabled, "updatedAt")
     select gen_random_uuid(), f.id, e.id, false, now() from f, "Environment" e`,
    [flag.key, flag.name],
  );
  return flag;
}

/** An SDK key for the environment, made on its settings page as an admin would. */
async function sdkKey(page: Page, environmentKey: string): Promise<string> {
  await page.goto(`/environments/${environmentKey}/settings#sdk-keys`);
  const keys = page.getByRole("region", { name: "SDK keys", exact: true });
  await keys.getByLabel("New key for").fill(`e2e-${unique()}`);
  await keys.getByRole("button", { name: "Create SDK key" }).click();
  const secret = await keys.getByLabel("SDK key", { exact: true }).inputValue();
  expect(secret).toMatch(/^glsdk_/);
  await keys.getByRole("button", { name: "I have copied it" }).click();
  return secret;
}

/** What an application reads for the flag: the evaluation API, as an SDK would call it. */
async function served(request: APIRequestContext, environmentKey: string, key: string, flag: string) {
  const response = await request.get(`/api/v1/flags?environment=${environmentKey}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { flags: Record<string, boolean> };
  return body.flags[flag];
}

async function signInAs(browser: Browser, baseURL: string | undefined, user: NewUser): Promise<Page> {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Pipeline" })).toBeVisible({ timeout: 30_000 });
  return page;
}

const rowOf = (page: Page, key: string) => page.getByRole("row").filter({ hasText: key });

test.describe("as the admin", () => {
  test.use({ storageState: storageStateOf("admin") });

  test("a staging switch is served at once; in production it waits for a second admin's approval", async ({
    page,
    browser,
    baseURL,
    request,
  }) => {
    test.setTimeout(120_000);
    const flag = await freshFlag();
    const stagingKey = await sdkKey(page, "staging");
    const productionKey = await sdkKey(page, "production");
    expect(await served(request, "staging", stagingKey, flag.key)).toBe(false);

    // staging: switched, and applications read it within a second or so
    await page.goto("/flags");
    await page.getByLabel("Search flags").fill(flag.key);
    const row = rowOf(page, flag.key);
    await row.getByRole("button", { name: `Turn on ${flag.name} in Staging` }).click();
    await expect(row.getByRole("button", { name: `Turn off ${flag.name} in Staging` })).toBeVisible();
    await expect.poll(() => served(request, "staging", stagingKey, flag.key), { timeout: 5_000 }).toBe(true);

    // production: the switch asks why, and becomes a request; nothing is served yet
    await row.getByRole("button", { name: `Turn on ${flag.name} in Production` }).click();
    await row.getByLabel(`Why turn on ${flag.name}?`, { exact: false }).fill("Launch with the spring campaign");
    await row.getByRole("button", { name: `Send the request to turn on ${flag.name}` }).click();
    await expect(row.getByRole("status")).toHaveText("Change requested: it waits for approval.");
    await expect(row.getByRole("link", { name: "change pending: on" })).toBeVisible();
    const requests = page.getByRole("region", { name: /^Change requests/ });
    const mine = requests.getByRole("listitem", { name: `Change of ${flag.name} in Production: Waiting for approval` });
    await expect(mine).toContainText("“Launch with the spring campaign” — you");
    // the author cannot approve their own change: no button for them
    await expect(mine.getByRole("button", { name: /^Approve/ })).toHaveCount(0);
    expect(await served(request, "production", productionKey, flag.key)).toBe(false);

    // a second admin approves it; the flag is served on in production
    const second = await createUser(page, ["Admin"]);
    const other = await signInAs(browser, baseURL, second);
    await other.goto("/flags");
    await expect(
      other.getByRole("navigation").getByRole("link", { name: /^Flags\s*, \d+ waiting for you$/ }),
    ).toBeVisible();
    const waiting = other
      .getByRole("region", { name: /^Change requests/ })
      .getByRole("listitem", { name: `Change of ${flag.name} in Production: Waiting for approval` });
    await waiting.getByRole("button", { name: `Approve the change of ${flag.name} in Production` }).click();
    await expect(
      other
        .getByRole("region", { name: /^Change requests/ })
        .getByRole("listitem", { name: `Change of ${flag.name} in Production: Applied` }),
    ).toBeVisible();
    await expect.poll(() => served(request, "production", productionKey, flag.key), { timeout: 5_000 }).toBe(true);

    // the trail says who changed it, and from which request
    const events = await sql<{ action: string; actorLabel: string; after: { changeRequest?: string } }>(
      `select action, "actorLabel", after from "AuditEvent" where "entityId" = $1 and "environmentKey" = 'production' order by at`,
      [flag.key],
    );
    expect(events.map((e) => e.action)).toEqual(["flag.change.request", "flag.change.approve", "flag.state.update"]);
    expect(events[2]?.actorLabel).toBe(second.name);
    expect(events[2]?.after.changeRequest).toBeTruthy();
    await other.context().close();
  });
});

test.describe("as QA", () => {
  test.use({ storageState: storageStateOf("qa") });

  test("sees production's flags read-only, and a forged change there is refused and on the record", async ({
    page,
  }) => {
    const flag = await freshFlag();
    await page.goto("/flags");
    await page.getByLabel("Search flags").fill(flag.key);
    const row = rowOf(page, flag.key);
    const production = row.getByRole("button", { name: `Turn on ${flag.name} in Production` });
    await expect(production).toHaveAttribute("aria-disabled", "true");
    await expect(production).toHaveAttribute("title", "You need the flag.toggle permission in Production");
    await expect(row.getByText(`Request a change ${flag.name} in Production`)).toHaveCount(0);

    // the staging switch's form, pointed at production by hand
    const form = row
      .locator("form")
      .filter({ has: page.getByRole("button", { name: `Turn on ${flag.name} in Staging` }) });
    await form
      .locator('input[name="environmentKey"]')
      .evaluate((input: HTMLInputElement) => (input.value = "production"));
    await form.getByRole("button", { name: `Turn on ${flag.name} in Staging` }).click();
    await expect(form.getByRole("alert")).toHaveText("You need the flag.toggle permission in Production to do this");

    const [state] = await sql<{ enabled: boolean }>(
      `select s.enabled from "FlagState" s join "FeatureFlag" f on f.id = s."flagId" join "Environment" e on e.id = s."environmentId"
       where f.key = $1 and e.key = 'production'`,
      [flag.key],
    );
    expect(state?.enabled).toBe(false);
    const denied = await sql<{ after: { attempted: string; permission: string } }>(
      `select after from "AuditEvent" where action = 'authz.denied' and "actorLabel" = 'Quentin Moreau'
         and "environmentKey" = 'production' and at > now() - interval '2 minutes' order by at desc limit 1`,
    );
    expect(denied[0]?.after).toMatchObject({ attempted: "flag.state.update", permission: "flag.toggle" });
  });
});
