import { randomBytes } from "node:crypto";
import { expect, type Browser, type Page } from "@playwright/test";
import { test as peopleTest } from "./journey-people";
import { freshVersion, promote, waitForDeploy } from "./journey-steps";
import { PASSWORD, storageStateOf } from "./personas";
import { demo } from "../prisma/presets/demo";

// What a journey needs, made by the journey itself: never found among what the demo's history
// or an earlier journey left behind, so the journeys pass in any order, repeated, at any hour.
//
// - `releases`: releases of its own, created through the real API (POST /api/v1/releases, as
//   CI does, with an API token the admin creates once per worker through the Tokens page) and
//   driven to the stage the journey starts from through the real pages. Versions are unique
//   per call, so a repeated journey never meets its earlier run's release.
// - `createUser`: a person of its own, created by the admin through the Users page, for the
//   journeys that lock out, deactivate or fail to sign in someone.

/** A short string no other call returns: for names, emails and versions. */
export const unique = () => `${Date.now().toString(36)}${randomBytes(4).toString("hex")}`;

/** An address from the IPv6 documentation range, new for each call: sign-in throttling counts per address. */
export const documentationAddress = () =>
  `2001:db8:${[0, 1, 2].map(() => randomBytes(2).toString("hex")).join(":")}::1`;

/** The demo application's name as the board shows it, from its key. */
export function applicationName(key: string): string {
  const application = demo.applications.find((a) => a.key === key);
  if (!application) throw new Error(`the demo has no application ${key}`);
  return application.name;
}

/**
 * Creates an API token through the Tokens page, as an admin would, and reads it off the screen.
 * A sign-in older than 15 minutes is asked for its password first: `password` answers.
 */
export async function createToken(
  page: Page,
  name: string,
  permission: string | string[],
  password = PASSWORD,
): Promise<string> {
  const confirm = page.getByRole("dialog", { name: "Confirm it's you" });
  await page.addLocatorHandler(confirm, async (dialog) => {
    await dialog.getByLabel("Password").fill(password);
    await dialog.getByRole("button", { name: "Confirm" }).click();
  });
  try {
    await page.goto("/tokens");
    await page.getByLabel("Name", { exact: true }).fill(name);
    for (const p of typeof permission === "string" ? [permission] : permission)
      await page.getByLabel(new RegExp(p.replace(".", "\\."))).check();
    await page.getByRole("button", { name: "Create token" }).click();
    const field = page.locator("input[readonly], textarea[readonly]").first();
    await expect(field).toHaveValue(/^glt_/);
    return await field.inputValue();
  } finally {
    await page.removeLocatorHandler(confirm);
  }
}

export interface NewUser {
  name: string;
  email: string;
  password: string;
}

/**
 * Creates a user through the Users page; `page` is signed in as someone with user.manage.
 * `roles`: role names as the form lists them ("Developer").
 */
export async function createUser(page: Page, roles: string[] = []): Promise<NewUser> {
  const id = unique();
  const user = {
    name: `E2E person ${id}`,
    email: `e2e-${id}@test.example`,
    password: `pw-${randomBytes(12).toString("hex")}`,
  };
  await page.goto("/users");
  const form = page.getByRole("region", { name: "New user" });
  await form.getByLabel("Name", { exact: true }).fill(user.name);
  await form.getByLabel("Email", { exact: true }).fill(user.email);
  for (const role of roles) await form.getByLabel(role, { exact: true }).check();
  await form.getByLabel("Initial password", { exact: true }).fill(user.password);
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByRole("status")).toContainText(`can now sign in as ${user.email}`);
  return user;
}

/** A release a journey created for itself. */
export interface OwnRelease {
  id: string;
  /** its page, /releases/<id> */
  path: string;
  version: string;
  /** the application's key */
  application: string;
  title: string;
}

export interface ReleaseOptions {
  /** a release the demo marks bad (its version contains "-bad"): it answers 500 to most requests */
  bad?: boolean;
}

export interface Releases {
  /** A new release of `application` from the API, as CI posts it; development starts deploying it at once. */
  create(application: string, title?: string, options?: ReleaseOptions): Promise<OwnRelease>;
  /** A new release that runs in development (its automatic deploy has succeeded). */
  inDevelopment(application: string, title?: string, options?: ReleaseOptions): Promise<OwnRelease>;
  /** A new release that runs in staging, promoted there by DevOps: it waits for production. */
  inStaging(application: string, title?: string): Promise<OwnRelease>;
}

/** The API token of this worker process, created on first use (see `releaseToken` below). */
let workerToken: Promise<string> | undefined;

async function createReleaseToken(browser: Browser, baseURL: string | undefined): Promise<string> {
  const context = await browser.newContext({ baseURL, storageState: storageStateOf("admin") });
  try {
    // named like a CI job's token: it shows as the author of the releases it creates
    return await createToken(await context.newPage(), "e2e-ci", "release.create");
  } finally {
    await context.close();
  }
}

export const test = peopleTest.extend<{ releases: Releases; releaseToken: string }>({
  // Once per worker process (each run's server has a database of its own, and a run's workers
  // start after it). A test-scoped fixture with a module-level memo rather than a worker-scoped
  // fixture: a worker fixture would set the files that use it apart from the others, and
  // Playwright would then no longer run the files in name order.
  releaseToken: async ({ browser, baseURL }, provide) => {
    workerToken ??= createReleaseToken(browser, baseURL).catch((e: unknown) => {
      workerToken = undefined;
      throw e;
    });
    await provide(await workerToken);
  },

  releases: async ({ request, releaseToken, people }, provide, testInfo) => {
    const create = async (
      application: string,
      title = "A release of its own (e2e)",
      options: ReleaseOptions = {},
    ): Promise<OwnRelease> => {
      const version = `${freshVersion(9)}${options.bad ? "-bad" : ""}`;
      const response = await request.post("/api/v1/releases", {
        headers: { authorization: `Bearer ${releaseToken}` },
        data: {
          application,
          version,
          commitSha: randomBytes(20).toString("hex"),
          title,
          changelog: `### Added\n- ${title}\n\nCreated by ${testInfo.titlePath.join(" › ")}`,
        },
      });
      expect(response.status(), await response.text()).toBe(201);
      const { release } = (await response.json()) as { release: { id: string; version: string } };
      expect(release.version).toBe(version);
      return { id: release.id, path: `/releases/${release.id}`, version, application, title };
    };

    const inDevelopment = async (application: string, title?: string, options?: ReleaseOptions) => {
      // real deploys take seconds each, more on a busy machine: on top of the journey's own time
      testInfo.setTimeout(testInfo.timeout + 60_000);
      const release = await create(application, title, options);
      const dana = await people.page("devops", release.path);
      await waitForDeploy(dana, "Development");
      return release;
    };

    const inStaging = async (application: string, title?: string) => {
      const release = await inDevelopment(application, title);
      testInfo.setTimeout(testInfo.timeout + 60_000);
      const dana = await people.page("devops", release.path);
      await promote(dana, "Staging");
      await expect(dana.getByRole("heading", { level: 2, name: "Next: Production" })).toBeVisible();
      return release;
    };

    await provide({ create, inDevelopment, inStaging });
  },
});

export { expect };
