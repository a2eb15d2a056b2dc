import fs from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { chromiumPath } from "./e2e/browser";

const PORT = Number(process.env.E2E_PORT ?? 3100);
// the preset journeys' server, on a database emptied and reseeded per preset (PostgreSQL only)
const PRESET_PORT = PORT + 1;
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
    return [{ name: "desktop", testIgnore: /presets\.spec\.ts/, ...desktop }];
  if (process.env.E2E_ORDER !== "reverse")
    throw new Error(`E2E_ORDER=${process.env.E2E_ORDER}: only "reverse" is known`);
  const files = fs
    .readdirSync("e2e")
    .filter((f) => f.endsWith(".spec.ts") && f !== "presets.spec.ts")
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
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/, use: { ...devices["Desktop Chrome"], launchOptions } },
    ...desktopProjects(),
    {
      // every preset's personas sign in themselves on the second server: no demo sessions needed
      name: "presets",
      testMatch: /presets\.spec\.ts/,
      use: { ...devices["Desktop Chrome"], baseURL: `http://localhost:${PRESET_PORT}`, launchOptions },
    },
  ],
  webServer: withPresetServer ? [server(PORT), server(PRESET_PORT, { E2E_EMPTY: "1" })] : [server(PORT)],
});
