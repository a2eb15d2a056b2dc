// A LOCAL STAND-IN for the Fly.io CLI (flyctl), for the preset walks only. It is not flyctl.
//
// Seed 003 (prisma/presets/003-microbima.ts) deploys with the command provider running
// `flyctl deploy -a microbima-<env>-<app> -c infra/fly/<app>/<env>/fly.toml`, as its document's
// "Manual Deployment Commands" do. The real CLI cannot be installed here (it is neither an npm
// nor a Debian package) and Fly.io cannot be reached, so e2e/server.ts puts a `flyctl` that runs
// this script first on the PATH of the preset walks' server, and of nothing else: the provider
// and the preset's configuration stay as they are.
//
// It accepts exactly the command line the preset configures, for the application and
// environment Greenlight names in GREENLIGHT_APP and GREENLIGHT_ENV, and refuses anything else
// with a message and exit code 2. Where the real CLI would build the checkout (cwd) with the
// fly.toml and roll it out on Fly.io, this one deploys GREENLIGHT_VERSION with the demo deploy
// script (lib/deploy/demo/deploy.mjs), handing on Greenlight's variables (action, strategy,
// colour, traffic), into GREENLIGHT_DATA_DIR, which e2e/server.ts's `flyctl` sets; no fly.toml
// is read. Like the real CLI it takes its token from FLY_API_TOKEN, the preset's secret variable,
// which the command provider hands to the command under its own name.
//
// Plain JavaScript, like the deploy script, so it runs under bare `node`.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const SELF = "flyctl (local stand-in for the preset walks)";

function refuse(message) {
  console.error(`${SELF}: ${message}`);
  process.exit(2);
}

const app = process.env.GREENLIGHT_APP ?? "";
const env = process.env.GREENLIGHT_ENV ?? "";
const given = process.argv.slice(2);
// prisma/presets/003-microbima.ts
const expected = ["deploy", "-a", `microbima-${env}-${app}`, "-c", `infra/fly/${app}/${env}/fly.toml`];
if (!app || !env) refuse("GREENLIGHT_APP and GREENLIGHT_ENV are not set: only Greenlight's command provider runs this");
if (given.length !== expected.length || given.some((arg, i) => arg !== expected[i]))
  refuse(`accepts only \`flyctl ${expected.join(" ")}\` for ${app} in ${env}, not \`flyctl ${given.join(" ")}\``);
if (!process.env.FLY_API_TOKEN) refuse("no access token: FLY_API_TOKEN is not set");
if (!process.env.GREENLIGHT_DATA_DIR) refuse("GREENLIGHT_DATA_DIR is not set: run me through e2e/server.ts's flyctl");

console.log(`${SELF}: ${given.join(" ")}: deploying with lib/deploy/demo/deploy.mjs instead of Fly.io`);
const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../lib/deploy/demo/deploy.mjs");
const { GREENLIGHT_SECRET: _secret, FLY_API_TOKEN: _token, ...vars } = process.env;
const child = spawn(process.execPath, [script], { env: vars, stdio: "inherit" });
child.on("error", (e) => refuse(`could not run the deploy script: ${e.message}`));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
