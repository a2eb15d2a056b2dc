import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { chromiumPath } from "./e2e/browser";
import { presetSecretEnv } from "./e2e/preset-providers";
import { E2E_PORT as PORT, OIDC_PORT, SSO_HOST, SSO_PORT } from "./e2e/sso-config";

// the preset journeys' server, on a database emptied and reseeded per preset (PostgreSQL only)
const PRESET_PORT = PORT + 1;
// the single sign-on journeys' server (SSO_PORT), whose public address is not localhost, and the
// OpenID Connect provider it trusts (e2e/oidc-server.ts, OIDC_PORT)
const SSO_URL = `http://${SSO_HOST}:${SSO_PORT}`;
// one value for the runner and the workers it starts (they inherit its environment)
process.env.E2E_OIDC_SECRET ??= randomBytes(24).toString("base64url");
// the preset servers' deploy secrets (GitHub tokens, FLY_API_TOKEN), which the preset walks'
// local GitHub checks (e2e/preset-providers.ts)
process.env.E2E_PRESET_SECRET ??= randomBytes(24).toString("base64url");
const withPresetServer = Boolean(process.env.TEST_DATABASE_URL);
const executablePath = chromiumPath();
const launchOptions = {
  executablePath,
  // without the background-networking flags Chromium floods a closed network
  args: executablePath
    ? [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ]
    : [],
};

const server = (port: number, env: Record<string, string> = {}) => ({
  command: "node --conditions=react-server --import tsx e2e/server.ts",
  url: `http://localhost:${port}/api/health`,
  reuseExistingServer: false,
  timeout: 180_000,
  stdout: "pipe" as const,
  stderr: "pipe" as const,
  gracefulShutdown: { signal: "SIGTERM" as const, timeout: 10_000 },
  env: { PORT: String(port), NEXT_TELEMETRY_DISABLED: "1", ...env },
});

const oidcClient = { id: "greenlight-e2e", secret: process.env.E2E_OIDC_SECRET };
const identityProvider = {
  command: "node --import tsx e2e/oidc-server.ts",
  url: `http://127.0.0.1:${OIDC_PORT}/.well-known/openid-configuration`,
  reuseExistingServer: false,
  timeout: 30_000,
  stdout: "pipe" as const,
  stderr: "pipe" as const,
  env: {
    OIDC_PORT: String(OIDC_PORT),
    OIDC_CLIENT_ID: oidcClient.id,
    OIDC_CLIENT_SECRET: oidcClient.secret,
    OIDC_REDIRECT_URI: `${SSO_URL}/api/auth/callback/oidc`,
  },
};
const ssoServer = server(SSO_PORT, {
  GREENLIGHT_URL: SSO_URL,
  // no proxy in front: a client's X-Forwarded-For must count for nothing here
  GREENLIGHT_TRUSTED_PROXIES: "",
  AUTH_OIDC_ISSUER: `http://127.0.0.1:${OIDC_PORT}`,
  AUTH_OIDC_ID: oidcClient.id,
  AUTH_OIDC_SECRET: oidcClient.secret,
  AUTH_OIDC_NAME: "Test identity provider",
  AUTH_OIDC_SCOPE: "openid email profile groups",
  AUTH_SSO_GROUP_ROLES: "release-managers=product_owner,qa-team=qa",
});

const desktop = {
  dependencies: ["setup"],
  use: {
    ...devices["Desktop Chrome"],
    // journeys run as the admin unless they say otherwise
    storageState: "e2e/.auth/admin.json",
    launchOptions,
  },
};

/**
 * The desktop journeys: one project, whose files Playwright runs in name order. E2E_ORDER=reverse
 * runs the files in the reverse order instead (Playwright has no option for that): one project
 * per file, listed backwards, which the single worker takes in the order listed. No journey may
 * depend on what another left behind; this, `--repeat-each` and `--shuffle` show it.
 */
function desktopProjects() {
  if (process.env.E2E_ORDER === undefined || process.env.E2E_ORDER === "")
    return [{ name: "desktop", testIgnore: /(presets|sso)\.spec\.ts/, ...desktop }];
  if (process.env.E2E_ORDER !== "reverse")
    throw new Error(`E2E_ORDER=${process.env.E2E_ORDER}: only "reverse" is known`);
  const files = fs
    .readdirSync("e2e")
    .filter((f) => f.endsWith(".spec.ts") && f !== "presets.spec.ts" && f !== "sso.spec.ts")
    .sort()
    .reverse();
  return files.map((file) => ({
    name: `desktop ${file.replace(/\.spec\.ts$/, "")}`,
    testMatch: new RegExp(`[\\/]e2e[\\/]${file.replaceAll(".", "\\.")}$`),
    ...desktop,
  }));
}

// The journeys run against the production build (`npm run build` runs first) served by the
// same launcher as `npm start`, on a database of their own (see e2e/server.ts). The servers
// start one after the other, so the second finds the build the first may have made.
export default defineConfig({
  testDir: "./e2e",
  timeout: 30_000,
  // a busy CI machine renders a page in seconds, and hashes a password in more
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  // in CI the log's end names each failed journey and its first error (e2e/failure-summary.ts)
  reporter: process.env.CI
    ? [["list"], ["./e2e/failure-summary.ts"]]
    : [["list"], ["./e2e/failure-summary.ts"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    // no click or fill waits on a page for the whole test (a poll's callback would never return)
    actionTimeout: 30_000,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/, use: { ...devices["Desktop Chrome"], launchOptions } },
    ...desktopProjects(),
    {
      // single sign-on at a public address that is not localhost: the browser maps the name
      name: "sso",
      testMatch: /sso\.spec\.ts/,
      use: {
        ...devices["Desktop Chrome"],
        baseURL: SSO_URL,
        launchOptions: {
          ...launchOptions,
          args: [...(launchOptions.args ?? []), `--host-resolver-rules=MAP ${SSO_HOST} 127.0.0.1`],
        },
      },
    },
    {
      // every preset's personas sign in themselves on the second server: no demo sessions needed
      name: "presets",
      testMatch: /presets\.spec\.ts/,
      use: { ...devices["Desktop Chrome"], baseURL: `http://localhost:${PRESET_PORT}`, launchOptions },
    },
  ],
  webServer: [
    server(PORT),
    ...(withPresetServer
      ? [server(PRESET_PORT, { E2E_EMPTY: "1", ...presetSecretEnv(process.env.E2E_PRESET_SECRET) })]
      : []),
    identityProvider,
    ssoServer,
  ],
});
