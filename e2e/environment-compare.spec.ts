import { expect, test } from "@playwright/test";
import pg from "pg";
import { unique } from "./fixtures";
import { storageStateOf } from "./personas";
import { journeyDatabaseUrl } from "./preset-server";

// Environment drift: "works in staging, fails in production". The admin compares the two from
// the environments list and finds the flag that is on in staging and off in production marked
// as differing; the API says the same to a CI step. The flag is this journey's own (the
// database of the journeys' server), so nothing depends on what other journeys switched.

test.skip(
  !process.env.TEST_DATABASE_URL,
  "makes its own flag in the server's database, known only with TEST_DATABASE_URL",
);
test.use({ storageState: storageStateOf("admin") });

/** A flag of this journey's own: on in staging, off everywhere else. */
async function stagingOnlyFlag(): Promise<{ key: string; name: string }> {
  const id = unique();
  const flag = { key: `e2eDrift${id}`, name: `E2E drift ${id}` };
  const client = new pg.Client({ connectionString: journeyDatabaseUrl() });
  await client.connect();
  try {
    await client.query(
      `with f as (insert into "FeatureFlag" (id, key, name, category) values (gen_random_uuid(), $1, $2, 'e2e') returning id)
       insert into "FlagState" (id, "flagId", "environmentId", enabled, "updatedAt")
       select gen_random_uuid(), f.id, e.id, e.key = 'staging', now() from f, "Environment" e`,
      [flag.key, flag.name],
    );
  } finally {
    await client.end();
  }
  return flag;
}

test("the admin compares staging and production and finds the flag that differs", async ({ page }) => {
  const flag = await stagingOnlyFlag();

  // from the environments list: the last two stages are chosen already
  await page.goto("/environments");
  const picker = page.getByRole("form", { name: "Compare two environments" });
  await picker.getByLabel("Compare").selectOption("staging");
  await picker.getByLabel("with").selectOption("production");
  await picker.getByRole("button", { name: "Compare" }).click();
  await expect(page).toHaveURL(/\/environments\/compare\?a=staging&b=production$/);
  await expect(page.getByRole("heading", { level: 1, name: "Staging and Production" })).toBeVisible();

  // the flag's row is there, marked as differing in words (not colour alone)
  const flags = page.getByRole("region", { name: "Feature flags in Staging and Production" });
  const row = flags.getByRole("row").filter({ hasText: flag.key });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole("rowheader")).toContainText(flag.name);
  await expect(row.getByRole("cell").nth(0)).toHaveText("on");
  await expect(row.getByRole("cell").nth(1)).toHaveText("off");
  await expect(row.getByRole("cell").nth(2)).toHaveText("On/off");
  await expect(row.getByRole("cell").nth(3)).toHaveText("Differs");

  // only differences by default; showing every row keeps the address in step
  const toggle = page.getByRole("checkbox", { name: "Show only differences" });
  await expect(toggle).toBeChecked();
  await expect(flags.getByRole("cell", { name: "Same", exact: true })).toHaveCount(0);
  await toggle.uncheck();
  await expect(page).toHaveURL(/show=all/);
  await expect(toggle).not.toBeChecked();
  await expect(row.getByRole("cell").nth(3)).toHaveText("Differs");

  // the same answer as JSON, as a CI step reads it
  const response = await page.request.get("/api/v1/environments/compare?a=staging&b=production");
  expect(response.status()).toBe(200);
  const drift = (await response.json()) as {
    identical: boolean;
    flags: {
      identical: boolean;
      count: number;
      differences: { key: string; changed: string[]; a: { enabled: boolean }; b: { enabled: boolean } }[];
    };
  };
  expect(drift.identical).toBe(false);
  expect(drift.flags.identical).toBe(false);
  expect(drift.flags.count).toBe(drift.flags.differences.length);
  expect(drift.flags.differences.find((f) => f.key === flag.key)).toMatchObject({
    changed: ["enabled"],
    a: { enabled: true },
    b: { enabled: false },
  });

  // the same environment twice is refused with a message, an unknown one is not found
  await page.goto("/environments/compare?a=staging&b=staging");
  await expect(page.getByText("Choose two different environments").first()).toBeVisible();
  expect((await page.request.get("/environments/compare?a=staging&b=nowhere")).status()).toBe(404);
});
