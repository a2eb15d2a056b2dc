import fs from "node:fs";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { unique } from "./fixtures";
import { storageStateOf } from "./personas";
import { journeyDatabaseUrl } from "./preset-server";

// An admin reads the DORA metrics of an application of this journey's own: three deployments
// in the last environment (a success, a failure, a hotfix that recovered it), written straight
// into the server's database so that the figures are known exactly and no other journey's
// deployments count. The admin sees the five cards and the charts, changes the range, follows a
// figure to its deployments and downloads the CSV file.

test.skip(
  !process.env.TEST_DATABASE_URL,
  "writes its own deployments into the server's database, known only with TEST_DATABASE_URL",
);
test.use({ storageState: storageStateOf("admin") });

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: journeyDatabaseUrl() });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR);

/** An application with three finished deployments in the last environment; their ids. */
async function ownHistory(): Promise<{ key: string; name: string; environment: string; ids: string[] }> {
  const key = `metrics-e2e-${unique()}`;
  const name = `Metrics journey ${key.slice(-6)}`;
  const [env] = await sql<{ id: string; key: string }>(
    `select id, key from "Environment" order by position desc limit 1`,
  );
  const [app] = await sql<{ id: string }>(
    `insert into "Application" (id, key, name) values (gen_random_uuid(), $1, $2) returning id`,
    [key, name],
  );
  const release = async (version: string, title: string, commitAt: Date) =>
    (
      await sql<{ id: string }>(
        `insert into "Release" (id, "applicationId", version, "commitSha", title, "commitAt", "createdAt")
         values (gen_random_uuid(), $1, $2, 'abc1234', $3, $4, $4) returning id`,
        [app!.id, version, title, commitAt],
      )
    )[0]!.id;
  const deploy = async (releaseId: string, status: string, finishedAt: Date) =>
    (
      await sql<{ id: string }>(
        `insert into "Deployment" (id, "releaseId", "applicationId", "environmentId", status, "queuedAt", "startedAt", "finishedAt")
         values (gen_random_uuid(), $1, $2, $3, $4::"DeploymentStatus", $5, $5, $6) returning id`,
        [releaseId, app!.id, env!.id, status, new Date(finishedAt.getTime() - 10 * 60_000), finishedAt],
      )
    )[0]!.id;
  const r1 = await release("1.0.0", "First release", ago(50));
  const r2 = await release("1.1.0", "Second release", ago(30));
  const r3 = await release("1.1.1", "Hotfix: second release", ago(25));
  const ids = [
    await deploy(r1, "succeeded", ago(49)), // lead 1 h
    await deploy(r2, "failed", ago(28)),
    await deploy(r3, "succeeded", ago(24)), // lead 1 h; recovers the failure after 4 h
  ];
  return { key, name, environment: env!.key, ids };
}

test("an admin reads the DORA metrics of an application, changes the range, drills down and downloads the CSV", async ({
  page,
}) => {
  const own = await ownHistory();
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Metrics" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Metrics" })).toBeVisible();

  await page.getByLabel("Application").selectOption(own.key);
  await page.getByLabel("Environment").selectOption(own.environment);
  await page.getByLabel("Range").selectOption("7");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/application=metrics-e2e-/);
  await expect(page).toHaveURL(/range=7/);

  for (const title of [
    "Deployment frequency",
    "Change lead time",
    "Change failure rate",
    "Failed deployment recovery time",
    "Deployment rework rate",
  ])
    await expect(page.getByRole("heading", { level: 2, name: title, exact: true })).toBeVisible();
  await expect(page.getByTestId("metric-change_failure_rate-value")).toHaveText("33 %");
  await expect(page.getByTestId("metric-deployment_frequency-value")).toHaveText("2.0 a week");
  await expect(page.getByTestId("metric-lead_time-value")).toHaveText("1 h");
  await expect(page.getByTestId("metric-recovery_time-value")).toHaveText("4 h");
  await expect(page.getByTestId("metric-rework_rate-value")).toHaveText("33 %");
  await expect(page.getByText(/: 3 finished deployments \(cancelled ones do not count\)/)).toBeVisible();

  // a chart, and its table for screen readers
  const chart = page.getByRole("figure", { name: /Change failure rate by week/ });
  await expect(chart.locator("svg.recharts-surface")).toBeVisible();
  await chart.getByText("Change failure rate by week as a table").click();
  await expect(chart.getByRole("table")).toBeVisible();

  // another range: 90 days, same three deployments
  await page.getByLabel("Range").selectOption("90");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/range=90/);
  await expect(page.getByTestId("metric-change_failure_rate-value")).toHaveText("33 %");

  // the CSV file of the deployments behind the figures
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const download = await downloading;
  const text = fs.readFileSync(await download.path(), "utf8");
  const lines = text.trim().split("\r\n");
  expect(lines[0]).toContain("deployment_id");
  expect(lines).toHaveLength(4);
  for (const id of own.ids) expect(text).toContain(id);

  // the failures behind the recovery time, each linking to its deployment
  await page.getByRole("link", { name: /deployments behind this figure \(Failed deployment recovery time\)/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Failed deployment recovery time/ })).toBeVisible();
  const rows = page.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText("after 4 h");
  await rows.nth(1).getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/deployments/${own.ids[1]}`));
});
