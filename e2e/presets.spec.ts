import { randomBytes } from "node:crypto";
import path from "node:path";
import { expect, test } from "./journey-people";
import { approve, boardCell, createRelease, freshVersion, promote, tickRequired, waitForDeploy } from "./journey-steps";
import type { FakeGitHub } from "../lib/test/github";
import { githubPollingMs, startPresetGitHub, unservedGitHubTargets } from "./preset-providers";
import { deployLocally, presetDatabaseUrl, presetDataDir, reseed } from "./preset-server";
import { stopAll } from "../lib/deploy/demo/lifecycle";
import { answerCodesWith, enrolOnSecurityPage, type Phone } from "./journey-second-factor";
import { emailOf, gatingChecklists, secondFactorPeople, uncovered, WALKS } from "./preset-walks";

// Each seed organisation walks one release through its whole pipeline, on the second e2e
// server (E2E_EMPTY=1 in playwright.config.ts), with its own people signing in through the
// sign-in page: its author creates the release, its checklists are ticked, its approvals given
// and its promotions pressed by the roles its matrix names (e2e/preset-walks.ts), and every
// deploy runs for real and succeeds.
//
// Before each walk the server's database is reseeded with `npm run db:seed -- --preset <name>
// --reset`, then pointed at this machine (e2e/preset-server.ts). Each deploy target keeps the
// provider and settings its preset gives it, and reaches a local far end (e2e/preset-providers.ts):
// seed 000's and 004's GitHub Actions targets dispatch their workflow to a local GitHub, started
// here, whose runs deploy with lib/deploy/demo/deploy.mjs; seed 003's command provider runs
// `flyctl deploy …`, found on the preset server's PATH as a local stand-in for the Fly.io CLI
// that deploys with the same script. Seeds 001 and 002 name no provider: their deploys run the
// script through the command provider. Freeze windows are deleted so the walk does not depend
// on the day (promotion-journey.spec.ts covers freezes).
//
// Where a preset's environment asks for a second factor (seed 000: production), the people who
// act there set up an authenticator app on their Security page first, in a browser of their
// own, as if the day before; the session they walk in has not passed one, so the "Confirm it's
// you" dialog asks them for a code from their phone at their first action there.

test.skip(
  !process.env.TEST_DATABASE_URL,
  "The preset walks need TEST_DATABASE_URL (PostgreSQL): their server's database is reseeded while it serves",
);

const presetPort = Number(process.env.E2E_PORT ?? 3100) + 1;
// in this checkout (another one's walks record and stop their own services), apart for each
// e2e port; the deploy script picks free ports for the services itself, and records them
const dataDir = presetDataDir(presetPort);

// the presets' GitHub, on a free port of 127.0.0.1; it checks the token the preset server holds
// in the presets' token variables (playwright.config.ts)
let github: FakeGitHub;
test.beforeAll(async () => {
  github = await startPresetGitHub(process.env.E2E_PRESET_SECRET ?? "", dataDir);
});
test.afterAll(() => github?.close());

// the deploy script's services outlive a walk: each walk stops what it started (after the runs
// still going, which could start more), and starts with none running, as Greenlight stops them
// (stop-all: every process the demo started for the folder, waited for until gone)
const stopWalkServices = async () => {
  await github?.stopRuns();
  const { error } = await stopAll(path.join(dataDir, "demo-services"));
  if (error) throw new Error(`the walk's demo services did not all stop: ${error}`);
};
test.afterEach(stopWalkServices);

for (const walk of WALKS) {
  const { preset } = walk;
  const route = preset.environments.map((e) => e.name).join(" → ");

  test(`${preset.name}: ${preset.title} takes a release through ${route}`, async ({ signIn, browser, baseURL }) => {
    // sign-ins hash passwords and each stage deploys for real: about a minute, more on a busy machine
    // and each person who sets up an authenticator app signs in once more
    // production canaries add a "Promote now" and their remaining steps to each walk
    // and a GitHub Actions target's run is read every 10 s until it completes
    test.setTimeout(420_000 + 60_000 * secondFactorPeople(walk).length + githubPollingMs(preset, walk.application));
    expect(uncovered(walk), "the walk covers every gate of the preset").toEqual([]);
    expect(unservedGitHubTargets(preset), "every GitHub Actions target has a local workflow").toEqual([]);
    expect(process.env.E2E_PRESET_SECRET, "playwright.config.ts sets the presets' secret").toBeTruthy();
    const password = randomBytes(12).toString("base64url");
    await test.step(`load ${preset.name} and deploy on this machine`, async () => {
      await stopWalkServices();
      const databaseUrl = presetDatabaseUrl();
      reseed(databaseUrl, preset.name, password);
      await deployLocally(databaseUrl, { dataDir, githubUrl: github.baseUrl });
    });

    const phones = new Map<string, Phone>();
    for (const name of secondFactorPeople(walk))
      await test.step(`${name} sets up an authenticator app`, async () => {
        const context = await browser.newContext({ baseURL });
        const page = await context.newPage();
        await page.goto("/sign-in");
        await page.getByLabel("Email").fill(emailOf(preset, name));
        await page.getByLabel("Password").fill(password);
        await page.getByRole("button", { name: "Sign in" }).click();
        // signing in hashes a password: slow on a busy machine
        await expect(page.getByRole("heading", { level: 1, name: "Pipeline" })).toBeVisible({ timeout: 30_000 });
        phones.set(name, (await enrolOnSecurityPage(page, emailOf(preset, name))).phone);
        await context.close();
      });

    const people = signIn(password);
    const asked = new Map<string, () => number>();
    const as = async (name: string, at?: string) => {
      const page = await people.page(emailOf(preset, name), at);
      const phone = phones.get(name);
      if (phone && !asked.has(name)) asked.set(name, (await answerCodesWith(page, phone)).asked);
      return page;
    };
    const version = freshVersion(1);
    const author = await as(walk.author);
    const release = await createRelease(author, {
      application: walk.application,
      version,
      title: `${preset.title}: a release from end to end`,
      ...(walk.branch ? { branch: walk.branch } : {}),
    });

    for (const [index, environment] of preset.environments.entries()) {
      const hands = walk.stages[environment.key]!;
      await test.step(environment.name, async () => {
        for (const list of gatingChecklists(preset, index)) {
          const page = await as(walk.stages[list.key]!.tick!, release);
          // who may not see the stage the list gates finds it all the same, told that others take it on
          const next = page.getByRole("heading", { level: 2, name: `Next: ${environment.name}` });
          const handedOn = page.getByRole("heading", { level: 2, name: `After ${list.name}` });
          await expect(next.or(handedOn)).toBeVisible();
          if (await handedOn.isVisible()) {
            const section = page.getByRole("region", { name: `After ${list.name}` });
            await expect(section.getByText(`Promotion beyond ${list.name} is handled by others.`)).toBeVisible();
            // the stage they may not see is never named
            // (case-sensitive: an item may speak of "production-like data")
            await expect(section.getByText(new RegExp(`\\b${environment.name}\\b`))).toHaveCount(0);
          }
          await tickRequired(page, list.name);
        }
        for (const approver of hands.approve ?? [])
          await approve(await as(approver, release), `${environment.name}: checked and approved`);
        if (hands.promote === null) await waitForDeploy(author, environment.name);
        else await promote(await as(hands.promote, release), environment.name, { automatic: environment.autoPromote });
      });
    }

    const last = preset.environments.at(-1)!;
    const viewer = await as(walk.stages[last.key]?.promote ?? walk.author);
    const application = preset.applications.find((a) => a.key === walk.application)!;
    const cell = await boardCell(viewer, application.name, last.name);
    await expect(cell.getByRole("link").first()).toHaveText(version);
    // each of them was asked for a code once: their code then counted for the rest of the walk
    for (const name of phones.keys()) expect(asked.get(name)?.(), `${name} was asked for a code`).toBe(1);
  });
}
