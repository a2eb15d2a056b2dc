import { randomBytes } from "node:crypto";
import pg from "pg";
import { expect, test, unique } from "./fixtures";
import { storageStateOf } from "./personas";
import { journeyDatabaseUrl } from "./preset-server";

// "What's in this promotion": a product owner asked to approve storefront 2.23.0 into
// production, where 2.21.0 runs, approves 2.22.0 and 2.22.1 too, and the release page says so.
// The journey has an application of its own (no page creates applications: it is inserted in
// the journeys' server database, as e2e/flag-changes.spec.ts does its flags), its releases come
// through the real API as CI posts them, and the deployments that put 2.21.0 in production and
// the others in staging are written as their history: what the journey looks at is the page.

test.skip(
  !process.env.TEST_DATABASE_URL,
  "makes its own application in the server's database, known only with TEST_DATABASE_URL",
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

const CHANGELOGS: Record<string, string> = {
  "2.21.0": "### Added\n- Wish lists",
  "2.22.0": "### Added\n- Size guide drawer\n- Saved searches\n### Fixed\n- Typo on the cart page",
  "2.22.1": "### Fixed\n- Crash on an empty cart\n- Prices rounded twice",
  "2.23.0": "### Changed\n- Checkout in one page\n### Fixed\n- Coupon field lost focus",
};

test.describe("a product owner", () => {
  test.use({ storageState: storageStateOf("productOwner") });

  test("sees the three releases they approve when they approve 2.23.0 into production", async ({ page }) => {
    const key = `e2e-diff-${unique()}`;
    const [application] = await sql<{ id: string }>(
      `insert into "Application" (id, key, name, "repositoryUrl") values (gen_random_uuid(), $1, $2, $3) returning id`,
      // a name of its own: journeys that look for the demo's Storefront by name must not find it
      [key, `Diff journey ${key}`, `https://github.com/example/${key}`],
    );
    const ids: Record<string, string> = {};
    // inserted rather than posted: a release posted through the API is auto-promoted to
    // development by the journeys' worker, racing the history below
    let created = 0;
    for (const version of Object.keys(CHANGELOGS)) {
      created++;
      const [row] = await sql<{ id: string }>(
        `insert into "Release" (id, "applicationId", version, "commitSha", title, changelog, links, "createdByTokenId", "createdAt")
         values (gen_random_uuid(), $1, $2, $3, $4, $5, $6::jsonb,
           null,
           now() - interval '3 hours' + $7 * interval '1 minute')
         returning id`,
        [
          application!.id,
          version,
          randomBytes(20).toString("hex"),
          `Storefront ${version}`,
          CHANGELOGS[version],
          JSON.stringify([{ label: "Pull requests", url: `https://github.com/example/${key}/pulls?q=${version}` }]),
          created,
        ],
      );
      ids[version] = row!.id;
    }
    const history = [
      ["2.21.0", ["development", "staging", "production"]],
      ["2.22.0", ["development", "staging"]],
      ["2.22.1", ["development", "staging"]],
      ["2.23.0", ["development", "staging"]],
    ] as const;
    let minute = 0;
    for (const [version, environments] of history)
      for (const environment of environments) {
        minute++;
        await sql(
          `insert into "Deployment" (id, "releaseId", "applicationId", "environmentId", status, "queuedAt", "startedAt", "finishedAt")
           select gen_random_uuid(), $1, $2, e.id, 'succeeded', now() - interval '2 hours' + $4 * interval '1 minute',
             now() - interval '2 hours' + $4 * interval '1 minute', now() - interval '2 hours' + ($4 + 1) * interval '1 minute'
           from "Environment" e where e.key = $3`,
          [ids[version], application!.id, environment, minute],
        );
      }

    await page.goto(`/releases/${ids["2.23.0"]}`);
    await expect(page.getByRole("heading", { level: 2, name: "Next: Production" })).toBeVisible();
    const contents = page.getByRole("region", { name: /What's in this promotion/ });
    await expect(contents).toContainText("Production runs 2.21.0");
    const rows = contents.getByRole("table", { name: /Releases in this promotion/ }).getByRole("row");
    // a header row, then the three releases, newest first; 2.21.0 runs already and is not listed
    await expect(rows).toHaveCount(4);
    await expect(rows.nth(1)).toContainText("2.23.0");
    await expect(rows.nth(2)).toContainText("2.22.1");
    await expect(rows.nth(3)).toContainText("2.22.0");
    await expect(contents.getByRole("link", { name: "2.22.0" })).toHaveAttribute("href", `/releases/${ids["2.22.0"]}`);
    // the changelogs merged by section, each entry saying which release brings it
    const fixed = contents.getByRole("list").filter({ hasText: "Crash on an empty cart" });
    await expect(fixed.getByRole("listitem")).toHaveText([
      "Coupon field lost focus from 2.23.0",
      "Crash on an empty cart from 2.22.1",
      "Prices rounded twice from 2.22.1",
      "Typo on the cart page from 2.22.0",
    ]);
    await expect(contents.getByText("Wish lists")).toHaveCount(0);
    await expect(contents.getByRole("link", { name: /Compare 2\.21\.0…2\.23\.0/ })).toHaveAttribute(
      "href",
      new RegExp(`^https://github\\.com/example/${key}/compare/[0-9a-f]{40}\\.\\.\\.[0-9a-f]{40}$`),
    );

    // the count beside the approve button: 3 releases, 7 changelog entries
    const approvals = page.getByRole("region", { name: "Approvals" });
    await expect(approvals.getByRole("button", { name: "Approve" })).toBeVisible();
    await expect(approvals.getByTestId("promotion-count")).toHaveText("In this promotion: 3 releases, 7 changes");
    await approvals.getByRole("link", { name: "3 releases, 7 changes" }).click();
    await expect(page).toHaveURL(/#next-contents$/);
  });
});
