import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import * as esbuild from "esbuild";
import pg from "pg";
import { npmScript } from "../lib/test/npm-script";
import { journeyDatabaseUrl, serverDatabaseFile } from "./preset-server";
import { E2E_PORT } from "./sso-config";

// A web page on another origin reads Greenlight's flags the way an application's front end does:
// the OpenFeature web SDK with its OFREP provider (e2e/flags-browser-client.ts, bundled here with
// esbuild), against `npm run flags-edge` on the journeys' database, through CORS. The flag and the
// SDK key are this test's own (a fresh key each run); the flag is switched in the app's grid and
// deleted at the end. Needs a PostgreSQL server (TEST_DATABASE_URL): flags-edge cannot share the
// embedded database.

const databaseFile = serverDatabaseFile(E2E_PORT);
test.skip(!fs.existsSync(databaseFile), "needs the journeys' server on PostgreSQL (TEST_DATABASE_URL)");

const suffix = randomBytes(4).toString("hex");
const flagKey = `browser-read-${suffix}`;
const flagName = `Browser read ${suffix}`;
const sdkKey = `glsdk_${randomBytes(24).toString("base64url")}`;

let client: pg.Client;
let edge: ChildProcess;
let edgeBase: string;
/** the page's own origin, another port than the service's */
let site: http.Server;
let siteBase: string;
let environment: { id: string; key: string; name: string };

test.beforeAll(async () => {
  client = new pg.Client({ connectionString: journeyDatabaseUrl() });
  await client.connect();
  const { rows } = await client.query<{ id: string; key: string; name: string }>(
    `select id, key, name from "Environment" order by position, key limit 1`,
  );
  environment = rows[0]!;
  // on for nobody by share, for France by a rule
  await client.query(
    `with flag as (
       insert into "FeatureFlag" (id, key, name, category) values (gen_random_uuid(), $1, $2, 'e2e') returning id)
     insert into "FlagState" (id, "flagId", "environmentId", enabled, "rolloutPercent", rules, "updatedAt")
     select gen_random_uuid(), flag.id, $3, true, 0,
            '[{"attribute":"country","operator":"in","values":["FR"]}]'::jsonb, now() from flag`,
    [flagKey, flagName, environment.id],
  );
  await client.query(
    `insert into "SdkKey" (id, "environmentId", name, prefix, "keyHash") values (gen_random_uuid(), $1, $2, $3, $4)`,
    [environment.id, `e2e browser ${suffix}`, sdkKey.slice(0, 12), createHash("sha256").update(sdkKey).digest("hex")],
  );

  const [node, args] = npmScript("flags-edge");
  edge = spawn(node, args, {
    env: {
      ...process.env,
      DATABASE_URL: journeyDatabaseUrl(),
      GREENLIGHT_FLAGS_PORT: "0",
      GREENLIGHT_FLAGS_HOST: "127.0.0.1",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  edgeBase = await new Promise<string>((resolve, reject) => {
    edge.once("exit", (code) => reject(new Error(`flags-edge exited with ${code}`)));
    edge.stdout!.on("data", (chunk: Buffer) => {
      const port = /listening on port (\d+)/.exec(chunk.toString())?.[1];
      if (port) resolve(`http://127.0.0.1:${port}`);
    });
  });

  const bundle = await esbuild.build({
    entryPoints: [path.join(import.meta.dirname, "flags-browser-client.ts")],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "warning",
  });
  const script = bundle.outputFiles[0]!.contents;
  const page = Buffer.from(`<!doctype html><title>Shop</title><script src="/flags.js"></script><h1>Shop</h1>`);
  site = http.createServer((req, res) => {
    const [type, body] = req.url === "/flags.js" ? ["text/javascript", script] : ["text/html", page];
    res.writeHead(200, { "Content-Type": type, "Content-Length": body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  siteBase = `http://localhost:${(site.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => site?.close(resolve));
  if (edge && edge.exitCode === null) {
    const exited = new Promise((resolve) => edge.once("exit", resolve));
    edge.kill("SIGTERM");
    await exited;
  }
  if (client) {
    await client.query(`delete from "SdkKey" where "keyHash" = $1`, [
      createHash("sha256").update(sdkKey).digest("hex"),
    ]);
    await client.query(`delete from "FeatureFlag" where key = $1`, [flagKey]);
    await client.end();
  }
});

type Read = { value: boolean; reason?: string; errorCode?: string };
const readIn = (page: Page, context: Record<string, string>, baseUrl = edgeBase): Promise<Read> =>
  page.evaluate(
    (options) => (window as unknown as { readFlag: (o: typeof options) => Promise<Read> }).readFlag(options),
    { baseUrl, sdkKey, flagKey, context },
  );

test("a page on another origin reads a flag through the OpenFeature web SDK and OFREP", async ({ browser, page }) => {
  // the service has the flag once its snapshot holds the new key (a notification, or a second)
  await expect
    .poll(
      async () =>
        (
          await fetch(`${edgeBase}/ofrep/v1/evaluate/flags/${flagKey}`, {
            method: "POST",
            headers: { authorization: `Bearer ${sdkKey}`, "content-type": "application/json" },
            body: JSON.stringify({ context: { targetingKey: "shopper-1", country: "FR" } }),
          })
        ).status,
      { timeout: 10_000 },
    )
    .toBe(200);

  // a browser context of its own, no Greenlight session: the shop is not Greenlight
  const shop = await (await browser.newContext({ storageState: { cookies: [], origins: [] } })).newPage();
  await shop.goto(siteBase);
  await expect(shop.getByRole("heading", { name: "Shop" })).toBeVisible();

  // the targeting rule: France gets it, elsewhere the 0 % share says no
  expect(await readIn(shop, { targetingKey: "shopper-1", country: "FR" })).toMatchObject({
    value: true,
    reason: "TARGETING_MATCH",
  });
  expect(await readIn(shop, { targetingKey: "shopper-2", country: "DE" })).toMatchObject({
    value: false,
    reason: "SPLIT",
  });

  // nothing listens on port 9: the application's default stands, with an error code
  const unreachable = await readIn(shop, { targetingKey: "shopper-1", country: "FR" }, "http://127.0.0.1:9");
  expect(unreachable.value).toBe(false);
  expect(unreachable.errorCode).toBeTruthy();

  // switched off in the app's grid: a fresh evaluation in the browser says so
  await page.goto("/flags");
  await page.getByLabel("Search flags").fill(flagKey);
  await page.getByRole("button", { name: `Turn off ${flagName} in ${environment.name}` }).click();
  await expect(page.getByRole("button", { name: `Turn on ${flagName} in ${environment.name}` })).toBeVisible();
  await expect
    .poll(async () => (await readIn(shop, { targetingKey: "shopper-1", country: "FR" })).value, { timeout: 10_000 })
    .toBe(false);
  expect(await readIn(shop, { targetingKey: "shopper-1", country: "FR" })).toMatchObject({ reason: "DISABLED" });

  await shop.context().close();
});
