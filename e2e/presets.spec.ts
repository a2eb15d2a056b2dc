import { randomBytes } from "node:crypto";
import path from "node:path";
import { expect, test } from "./journey-people";
import { approve, boardCell, createRelease, freshVersion, promote, tickRequired, waitForDeploy } from "./journey-steps";
import { deployLocally, presetDatabaseUrl, reseed } from "./preset-server";
import { stopServicesAndWait } from "./preset-services";
import { emailOf, gatingChecklists, uncovered, WALKS } from "./preset-walks";

// Each seed organisation walks one release through its whole pipeline, on the second e2e
// server (E2E_EMPTY=1 in playwright.config.ts), with its own people signing in through the
// sign-in page: its author creates the release, its checklists are ticked, its approvals given
// and its promotions pressed by the roles its matrix names (e2e/preset-walks.ts), and every
// deploy runs for real and succeeds.
//
// Before each walk the server's database is reseeded with `npm run db:seed -- --preset <name>
// --reset`, then adapted to this machine (e2e/preset-server.ts): every deploy target becomes
// the command provider running lib/deploy/demo/deploy.mjs, since the presets' GitHub Actions,
// webhook and flyctl targets need endpoints unreachable here, and freeze windows are deleted so
// the walk does not depend on the day (promotion-journey.spec.ts covers freezes).

test.skip(
  !process.env.TEST_DATABASE_URL,
  "The preset walks need TEST_DATABASE_URL (PostgreSQL): their server's database is reseeded while it serves",
);

const presetPort = Number(process.env.E2E_PORT ?? 3100) + 1;
// in this checkout (another one's walks record and stop their own services), apart for each
// e2e port; the deploy script picks the services' ports itself, apart for each data folder
const local = { dataDir: path.resolve(".data", `e2e-presets-${presetPort}`) };

// the deploy script's services outlive a walk; each preset starts with none running
const stopWalkServices = () => stopServicesAndWait(path.join(local.dataDir, "demo-services"));
test.afterAll(stopWalkServices);

for (const walk of WALKS) {
  const { preset } = walk;
  const route = preset.environments.map((e) => e.name).join(" → ");

  test(`${preset.name}: ${preset.title} takes a release through ${route}`, async ({ signIn }) => {
    // sign-ins hash passwords and each stage deploys for real: about a minute, more on a busy machine
    test.setTimeout(300_000);
    expect(uncovered(walk), "the walk covers every gate of the preset").toEqual([]);
    const password = randomBytes(12).toString("base64url");
    await test.step(`load ${preset.name} and deploy on this machine`, async () => {
      await stopWalkServices();
      const databaseUrl = presetDatabaseUrl();
      reseed(databaseUrl, preset.name, password);
      await deployLocally(databaseUrl, local);
    });

    const people = signIn(password);
    const as = (name: string, at?: string) => people.page(emailOf(preset, name), at);
    const version = freshVersion(1);
    const author = await as(walk.author);
    const release = await createRelease(author, {
      application: walk.application,
      version,
      title: `${preset.title}: a release from end to end`,
    });

    for (const [index, environment] of preset.environments.entries()) {
      const hands = walk.stages[environment.key]!;
      await test.step(environment.name, async () => {
        for (const list of gatingChecklists(preset, index)) {
          const page = await as(walk.stages[list.key]!.tick!, release);
          await expect(page.getByRole("heading", { level: 2, name: `Next: ${environment.name}` })).toBeVisible();
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
  });
}
